import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Loaded by jest's global setup and teardown too: no relative imports, no import.meta (see emulator.ts).

/**
 * What the global setup hands the contract test files through the environment (jest copies process.env into
 * its workers), and the per-adapter tally they hand back for the closing summary.
 */
export const ENV = {
  emulatorHost: 'DATASTORE_EMULATOR_HOST',
  emulatorSkipped: 'PICFEED_CONTRACT_EMULATOR_SKIPPED',
  tallyDir: 'PICFEED_CONTRACT_TALLY_DIR',
} as const;

export interface Tally {
  ran: number;
  passed: number;
}

/** Records a test that started and, if it gets there, passed; one file per test file and adapter. */
export function tallyFor(adapter: string): { started(): void; passed(): void; save(): void } {
  const tally: Tally = { ran: 0, passed: 0 };
  const file = `${adapter}-${process.pid}-${Math.random().toString(36).slice(2)}.json`;
  return {
    started: () => void (tally.ran += 1),
    passed: () => void (tally.passed += 1),
    save: () => {
      const dir = process.env[ENV.tallyDir];
      if (dir && tally.ran > 0) {
        writeFileSync(join(dir, file), JSON.stringify({ adapter, ...tally }));
      }
    },
  };
}

export function readTallies(dir: string): Map<string, Tally> {
  const totals = new Map<string, Tally>();
  for (const file of readdirSync(dir)) {
    const { adapter, ran, passed } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Tally & { adapter: string };
    const total = totals.get(adapter) ?? { ran: 0, passed: 0 };
    totals.set(adapter, { ran: total.ran + ran, passed: total.passed + passed });
  }
  return totals;
}

export function banner(text: string): string {
  const line = '!'.repeat(Math.min(text.length + 8, 120));
  return `\n${line}\n!!! ${text}\n${line}\n`;
}
