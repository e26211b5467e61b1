import { Storage, type Bucket, type File } from '@google-cloud/storage';
import { BlobStore, type BlobInfo, type SignedUpload, type UploadGrant } from '../blob-store.js';

export interface GcsBlobStoreOptions {
  readonly bucket: string;
  /** Public base URL the objects are served from (a CDN or a public bucket); signed read URLs when absent. */
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
  private readonly mediaBaseUrl: string | undefined;
  private readonly readUrlTtlSeconds: number;

  constructor({ bucket, mediaBaseUrl, readUrlTtlSeconds, storage }: GcsBlobStoreOptions) {
    super();
    this.bucket = (storage ?? new Storage()).bucket(bucket);
    this.mediaBaseUrl = mediaBaseUrl?.replace(/\/+$/, '');
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

  async readStart(objectName: string, length: number): Promise<Buffer> {
    if (length <= 0) {
      return Buffer.alloc(0);
    }
    try {
      const [bytes] = await this.file(objectName).download({ start: 0, end: length - 1 });
      return bytes;
    } catch (error) {
      if (isNotFound(error)) {
        throw new Error(`No object ${objectName} in bucket ${this.bucket.name}`, { cause: error });
      }
      throw error;
    }
  }

  async readUrl(objectName: string): Promise<string> {
    if (this.mediaBaseUrl !== undefined) {
      return `${this.mediaBaseUrl}/${objectName.split('/').map(encodeURIComponent).join('/')}`;
    }
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

  async copy(from: string, to: string): Promise<boolean> {
    try {
      await this.file(from).copy(this.file(to));
      return true;
    } catch (error) {
      if (isNotFound(error)) {
        return false;
      }
      throw error;
    }
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
