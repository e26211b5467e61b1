/** What a browser needs to PUT the bytes of an upload straight to blob storage. */
export interface SignedUpload {
  readonly url: string;
  /** Headers the PUT must carry exactly as given (they are part of the signature). */
  readonly headers: Record<string, string>;
}

export interface UploadGrant {
  readonly objectName: string;
  readonly contentType: string;
  /** The most bytes the PUT may carry. */
  readonly maxBytes: number;
  readonly expiresAt: Date;
}

export interface BlobInfo {
  readonly size: number;
  readonly contentType: string;
}

/** How long a browser or CDN keeps a processed image: its name never gets other bytes. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * The blob port, Cloud Storage or a local folder. Two kinds of object: uploads (originals, PUT by browsers through
 * signed URLs, read only by the app, never served) and media (the processed images the app writes under immutable
 * names, served to anyone with their URL and cached for a year).
 */
export abstract class BlobStore {
  abstract signUpload(grant: UploadGrant): Promise<SignedUpload>;
  /** Size and type of a stored upload; undefined when nothing was uploaded. */
  abstract stat(objectName: string): Promise<BlobInfo | undefined>;
  /** A whole upload, unless it is missing or larger than `maxBytes` (then nothing of it is read). */
  abstract read(objectName: string, maxBytes: number): Promise<Buffer | 'missing' | 'too_large'>;
  /** Deletes an upload; deleting a missing object is not an error. */
  abstract delete(objectName: string): Promise<void>;
  /** Writes a processed image (replacing the same bytes on a retry), served with IMMUTABLE_CACHE_CONTROL. */
  abstract writeMedia(objectName: string, bytes: Buffer, contentType: string): Promise<void>;
  /** Deletes a processed image; a missing one is not an error. */
  abstract deleteMedia(objectName: string): Promise<void>;
  /** The stable URL of a processed image: the same for every response, so browsers and CDNs cache it. */
  abstract mediaUrl(objectName: string): string;
  /** A URL a browser can GET an image of a post made before images were processed (kept for those posts). */
  abstract readUrl(objectName: string): Promise<string>;
  /**
   * Up to `limit` objects under `prefix` last written before `before`, for the upload sweep. Empty on Cloud Storage,
   * where the bucket's lifecycle rule (storage-lifecycle.json) deletes old uploads itself.
   */
  abstract listStale(prefix: string, before: Date, limit: number): Promise<string[]>;
}
