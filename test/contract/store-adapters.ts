import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatastoreStore } from '../../src/store/datastore/datastore-store.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { loadIndexDefinitions } from '../../src/store/index-definitions.js';
import type { Store } from '../../src/store/store.js';
import { ENV } from './contract-run.js';
import { INDEX_FILES, resetEmulator } from './emulator.js';

export interface StoreAdapter {
  readonly name: 'embedded' | 'datastore';
  /** A store that starts empty: a new embedded store in a folder of its own, or a fresh namespace of the emulator. */
  open(): Promise<Store>;
  /** Empties the whole backing store before a suite (the emulator's contended transactions slow as its data grows). */
  reset(): Promise<void>;
  /** The settings that run the whole app on this store: the embedded one on disk, the emulator in a fresh namespace. */
  appEnv(dataDir: string): Record<string, string>;
}

/**
 * The adapters the contract runs on, as stores or as the whole app: the embedded store always, the cloud one when the
 * global setup started the emulator.
 */
export function contractAdapters(): StoreAdapter[] {
  const indexes = loadIndexDefinitions(
    INDEX_FILES.map((file) => fileURLToPath(new URL(`../../${file}`, import.meta.url))),
  );
  const adapters: StoreAdapter[] = [
    {
      name: 'embedded',
      // On disk, as `npm start` runs it: reads on this thread, commits in the writer thread.
      open: () => EmbeddedStore.open({ dataDir: mkdtempSync(join(embeddedRoot(), 'store-')), indexes }),
      reset: () => Promise.resolve(),
      appEnv: (dataDir) => ({ STORE: 'embedded', DATA_DIR: dataDir }),
    },
  ];
  const apiEndpoint = process.env[ENV.emulatorHost];
  if (apiEndpoint) {
    adapters.push({
      name: 'datastore',
      open: () =>
        Promise.resolve(
          new DatastoreStore({ projectId: 'picfeed-contract', namespace: `t-${randomUUID()}`, apiEndpoint }),
        ),
      reset: () => resetEmulator(apiEndpoint),
      appEnv: (dataDir) => ({
        STORE: 'datastore',
        DATASTORE_EMULATOR_HOST: apiEndpoint,
        DATASTORE_NAMESPACE: `t-${randomUUID()}`,
        DATA_DIR: dataDir,
        DEV_SIGN_IN: 'true',
        DEV_SIGN_IN_FORCE: 'true',
      }),
    });
  }
  return adapters;
}

let root: string | undefined;

/** One folder for every embedded store this test process opens, removed when it exits. */
function embeddedRoot(): string {
  if (!root) {
    const made = mkdtempSync(join(tmpdir(), 'picfeed-contract-'));
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    root = made;
  }
  return root;
}
