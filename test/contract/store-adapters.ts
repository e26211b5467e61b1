import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DatastoreStore } from '../../src/store/datastore/datastore-store.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { loadIndexDefinitions } from '../../src/store/index-definitions.js';
import type { Store } from '../../src/store/store.js';
import { ENV } from './contract-run.js';
import { INDEX_FILES, resetEmulator } from './emulator.js';

export interface StoreAdapter {
  readonly name: 'embedded' | 'datastore';
  /** A store that starts empty: a new in-memory store, or a fresh namespace of the emulator. */
  open(): Promise<Store>;
  /** Empties the whole backing store before a suite (the emulator's contended transactions slow as its data grows). */
  reset(): Promise<void>;
}

/** The adapters the contract runs on: the embedded store always, the cloud one when the global setup started the emulator. */
export function contractAdapters(): StoreAdapter[] {
  const indexes = loadIndexDefinitions(
    INDEX_FILES.map((file) => fileURLToPath(new URL(`../../${file}`, import.meta.url))),
  );
  const adapters: StoreAdapter[] = [
    { name: 'embedded', open: () => EmbeddedStore.open({ indexes }), reset: () => Promise.resolve() },
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
    });
  }
  return adapters;
}
