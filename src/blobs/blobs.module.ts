import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local/local-blob-store.js';
import { LocalBlobsController } from './local/local-blobs.controller.js';

const TEMP_DIR = Symbol('temporary blob folder');

async function openBlobs(config: AppConfig, tempDir: string | undefined): Promise<BlobStore> {
  if (config.gcsBucket) {
    // Loaded only when used, like the Datastore client: the local folder starts without it.
    const { GcsBlobStore } = await import('./gcs/gcs-blob-store.js');
    return new GcsBlobStore({
      bucket: config.gcsBucket,
      mediaBucket: config.gcsMediaBucket,
      mediaBaseUrl: config.mediaBaseUrl,
    });
  }
  const secret = tempDir ? randomBytes(32) : await LocalBlobStore.loadSecret(join(config.dataDir, 'blob-signing-key'));
  return new LocalBlobStore({ dir: tempDir ?? join(config.dataDir, 'blobs'), secret, publicUrl: config.publicUrl });
}

/** Binds the blob port: Cloud Storage when GCS_BUCKET is set, else a local folder whose URLs the app serves. */
@Global()
@Module({})
export class BlobsModule implements OnApplicationShutdown {
  constructor(@Inject(TEMP_DIR) private readonly tempDir: string | undefined) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BlobsModule,
      controllers: config.gcsBucket ? [] : [LocalBlobsController],
      providers: [
        {
          // The in-memory store keeps nothing after the process, and neither do its blobs.
          provide: TEMP_DIR,
          useFactory: () => (config.store === 'memory' ? mkdtemp(join(tmpdir(), 'picfeed-blobs-')) : undefined),
        },
        { provide: BlobStore, inject: [TEMP_DIR], useFactory: (tempDir?: string) => openBlobs(config, tempDir) },
      ],
      exports: [BlobStore],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.tempDir) {
      await rm(this.tempDir, { recursive: true, force: true });
    }
  }
}
