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

/** The blob port: signed uploads, what arrived, read URLs and deletes. Cloud Storage or a local folder. */
export abstract class BlobStore {
  abstract signUpload(grant: UploadGrant): Promise<SignedUpload>;
  /** Size and type of a stored object; undefined when nothing was uploaded. */
  abstract stat(objectName: string): Promise<BlobInfo | undefined>;
  /** The object's first `length` bytes (fewer when it is shorter). */
  abstract readStart(objectName: string, length: number): Promise<Buffer>;
  /** A URL a browser can GET the object from. */
  abstract readUrl(objectName: string): Promise<string>;
  /** Deletes the object; deleting a missing object is not an error. */
  abstract delete(objectName: string): Promise<void>;
  /**
   * Copies an object to a name no signed URL can write, so what was checked is what is served; false when the
   * source does not exist.
   */
  abstract copy(from: string, to: string): Promise<boolean>;
  /**
   * Up to `limit` objects under `prefix` last written before `before`, for the upload sweep. Empty on Cloud Storage,
   * where the bucket's lifecycle rule (storage-lifecycle.json) deletes old uploads itself.
   */
  abstract listStale(prefix: string, before: Date, limit: number): Promise<string[]>;
}
