import { Storage, type Bucket, type File } from '@google-cloud/storage';
import {
  BlobStore,
  IMMUTABLE_CACHE_CONTROL,
  type BlobInfo,
  type SignedUpload,
  type UploadGrant,
} from '../blob-store.js';

export interface GcsBlobStoreOptions {
  /** Where uploads go: private, with the lifecycle rule of storage-lifecycle.json. */
  readonly bucket: string;
  /** Where processed images go, readable by everyone (allUsers: Storage Object Viewer); `bucket` when absent. */
  readonly mediaBucket?: string;
  /** Public base URL the processed images are served from (a CDN); the media bucket's public URL when absent. */
  readonly mediaBaseUrl?: string;
  /** Lifetime of a signed read URL. */
  readonly readUrlTtlSeconds?: number;
  /** The client; `new Storage()` (application default credentials) when absent. */
  readonly storage?: Storage;
}

const CONTENT_LENGTH_RANGE = 'x-goog-content-length-range';
/** Signed with the upload: the PUT only succeeds while the object does not exist, so a URL writes at most once. */
const IF_GENERATION_MATCH = 'x-goog-if-generation-match';
const DEFAULT_READ_URL_TTL_SECONDS = 3600;

/** The blob port on Cloud Storage: V4 signed, path-style URLs for browser uploads and reads. */
export class GcsBlobStore extends BlobStore {
  private readonly bucket: Bucket;
  private readonly media: Bucket;
  private readonly mediaBaseUrl: string;
  private readonly readUrlTtlSeconds: number;

  constructor({ bucket, mediaBucket, mediaBaseUrl, readUrlTtlSeconds, storage }: GcsBlobStoreOptions) {
    super();
    const client = storage ?? new Storage();
    this.bucket = client.bucket(bucket);
    this.media = client.bucket(mediaBucket ?? bucket);
    this.mediaBaseUrl = (mediaBaseUrl ?? `https://storage.googleapis.com/${this.media.name}`).replace(/\/+$/, '');
    this.readUrlTtlSeconds = readUrlTtlSeconds ?? DEFAULT_READ_URL_TTL_SECONDS;
  }

  async signUpload({ objectName, contentType, maxBytes, expiresAt }: UploadGrant): Promise<SignedUpload> {
    const lengthRange = `0,${maxBytes}`;
    const [url] = await this.file(objectName).getSignedUrl({
      version: 'v4',
      action: 'write',
      virtualHostedStyle: false,
      contentType,
      extensionHeaders: { [CONTENT_LENGTH_RANGE]: lengthRange, [IF_GENERATION_MATCH]: '0' },
      expires: expiresAt,
    });
    return {
      url,
      headers: { 'Content-Type': contentType, [CONTENT_LENGTH_RANGE]: lengthRange, [IF_GENERATION_MATCH]: '0' },
    };
  }

  async stat(objectName: string): Promise<BlobInfo | undefined> {
    try {
      const [metadata] = await this.file(objectName).getMetadata();
      return { size: Number(metadata.size), contentType: metadata.contentType ?? 'application/octet-stream' };
    } catch (error) {
      if (isNotFound(error)) {
        return undefined;
      }
      throw error;
    }
  }

  async read(objectName: string, maxBytes: number): Promise<Buffer | 'missing' | 'too_large'> {
    const info = await this.stat(objectName);
    if (!info) {
      return 'missing';
    }
    if (info.size > maxBytes) {
      return 'too_large';
    }
    if (info.size === 0) {
      // A range of an empty object is unsatisfiable (416): there is nothing to download.
      return Buffer.alloc(0);
    }
    try {
      // Never more than the limit, even if the object was replaced since the stat.
      const [bytes] = await this.file(objectName).download({ start: 0, end: maxBytes - 1 });
      return bytes;
    } catch (error) {
      if (isNotFound(error)) {
        return 'missing';
      }
      throw error;
    }
  }

  async writeMedia(objectName: string, bytes: Buffer, contentType: string): Promise<void> {
    await this.media.file(objectName).save(bytes, {
      resumable: false,
      contentType,
      metadata: { cacheControl: IMMUTABLE_CACHE_CONTROL },
    });
  }

  async deleteMedia(objectName: string): Promise<void> {
    await this.media.file(objectName).delete({ ignoreNotFound: true });
  }

  mediaUrl(objectName: string): string {
    return `${this.mediaBaseUrl}/${objectName.split('/').map(encodeURIComponent).join('/')}`;
  }

  async readUrl(objectName: string): Promise<string> {
    const [url] = await this.file(objectName).getSignedUrl({
      version: 'v4',
      action: 'read',
      virtualHostedStyle: false,
      expires: Date.now() + this.readUrlTtlSeconds * 1000,
    });
    return url;
  }

  async delete(objectName: string): Promise<void> {
    await this.file(objectName).delete({ ignoreNotFound: true });
  }

  /** Nothing to list: the bucket's lifecycle rule (storage-lifecycle.json) deletes stale uploads. */
  listStale(): Promise<string[]> {
    return Promise.resolve([]);
  }

  private file(objectName: string): File {
    return this.bucket.file(objectName);
  }
}

/** The client rejects with an ApiError whose `code` is the HTTP status. */
function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error as Error & { code?: unknown }).code === 404;
}
