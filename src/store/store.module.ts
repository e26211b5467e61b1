import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger } from '../common/logging/json-logger.js';
import { AppConfig } from '../config/app-config.js';
import { EmbeddedStore } from './embedded/embedded-store.js';
import { Lookups } from './lookup-plan.js';
import { loadIndexDefinitions } from './index-definitions.js';
import { Store } from './store.js';

export async function openStore(config: AppConfig, logger?: JsonLogger): Promise<Store> {
  if (config.store === 'datastore') {
    // Loaded only when used: the client library is half a second of every start of the embedded store otherwise.
    const { DatastoreStore } = await import('./datastore/datastore-store.js');
    return new DatastoreStore({
      projectId: config.googleCloudProject ?? 'picfeed-local',
      namespace: config.datastoreNamespace,
      apiEndpoint: config.datastoreEmulatorHost,
      timeoutMs: config.datastoreTimeoutMs,
    });
  }
  return EmbeddedStore.open({
    dataDir: config.store === 'embedded' ? config.dataDir : undefined,
    indexes: loadIndexDefinitions([config.indexFile]),
    fsync: config.embeddedFsync,
    log: (message: string) => logger?.entry('INFO', message),
  });
}

/** Binds the Store port to the adapter the configuration names, and closes it when the app stops. */
@Global()
@Module({
  providers: [{ provide: Store, inject: [AppConfig, JsonLogger], useFactory: openStore }, Lookups],
  exports: [Store, Lookups],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(@Inject(Store) private readonly store: Store) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
