import { rmSync } from 'node:fs';
import { join } from 'node:path';

type ContractRun = typeof import('./contract-run.js');

/** Stops the emulator, then says how many contract tests ran on each adapter. */
export default async function teardown(_: unknown, project: { rootDir: string }): Promise<void> {
  await globalThis.contractEmulator?.stop();
  globalThis.contractEmulator = undefined;
  const { ENV, banner, readTallies } = (await import(
    join(project.rootDir, 'test/contract/contract-run.ts')
  )) as ContractRun;
  const dir = process.env[ENV.tallyDir];
  if (!dir) {
    return;
  }
  const tallies = readTallies(dir);
  rmSync(dir, { recursive: true, force: true });
  const parts = [...tallies].sort().map(([adapter, { ran, passed }]) => `${adapter} ${ran} ran (${passed} passed)`);
  const skipped = process.env[ENV.emulatorSkipped];
  if (skipped) {
    parts.push(`datastore SKIPPED (${skipped})`);
  }
  console.log(`\nContract tests per adapter: ${parts.join('; ') || 'none ran'}`);
  if (skipped) {
    console.warn(banner('The Datastore emulator half of the contract tests did not run.'));
  }
}
