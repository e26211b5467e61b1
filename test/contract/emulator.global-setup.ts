import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from './emulator.js';

type ContractRun = typeof import('./contract-run.js');
type Harness = typeof import('./emulator.js');

declare global {
  var contractEmulator: Emulator | undefined;
}

/**
 * Starts one emulator for the whole contract run and hands its host to the test files through the environment;
 * without one (outside CI) only the embedded half runs, and says so loudly.
 */
export default async function setup(_: unknown, project: { rootDir: string }): Promise<void> {
  // Jest loads global setup as CommonJS without its module mapper, so `.js` specifiers would not resolve here.
  const { ENV, banner } = (await import(join(project.rootDir, 'test/contract/contract-run.ts'))) as ContractRun;
  const { startEmulator } = (await import(join(project.rootDir, 'test/contract/emulator.ts'))) as Harness;
  process.env.METADATA_SERVER_DETECTION = 'none';
  try {
    globalThis.contractEmulator = await startEmulator({ rootDir: project.rootDir });
    process.env[ENV.emulatorHost] = globalThis.contractEmulator.host;
    delete process.env[ENV.emulatorSkipped];
  } catch (error) {
    if (process.env.CI === 'true') {
      throw error;
    }
    const reason = (error as Error).message.split('\n')[0];
    process.env[ENV.emulatorSkipped] = reason;
    delete process.env[ENV.emulatorHost];
    console.warn(banner(`DATASTORE EMULATOR SKIPPED: ${reason}. Only the embedded store runs the contract tests.`));
  }
  process.env[ENV.tallyDir] = mkdtempSync(join(tmpdir(), 'picfeed-contract-'));
}
