import { Injectable } from '@nestjs/common';
import { BlobStore } from '../blobs/blob-store.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { mediaObjectName } from '../keys/post.keys.js';
import type { UploadRecord } from '../repositories/posts.repository.js';
import { SNIFF_BYTES, sniffImageType } from './image-type.js';

const nothingUploaded = (): DomainError =>
  new DomainError(ErrorCode.UploadMissing, 'nothing was uploaded for this uploadId yet');

/** A post's image in the bucket: placed from its upload and checked at publish, removed with the post. */
@Injectable()
export class PostImages {
  constructor(private readonly blobs: BlobStore) {}

  /**
   * Copies an upload to the name the post shows, then checks the copy: bytes PUT to the upload URL later can never
   * reach the post. Returns the object name. Throws upload_missing, or invalid_image (both copies removed, so the
   * same upload URL can be used again for the right file while it is valid).
   */
  async place(upload: UploadRecord): Promise<string> {
    const media = mediaObjectName(upload.owner, upload.id);
    if (!(await this.blobs.copy(upload.objectName, media))) {
      throw nothingUploaded();
    }
    const { contentType, contentLength } = upload;
    const info = await this.blobs.stat(media);
    if (!info) {
      throw nothingUploaded();
    }
    const start = info.size > contentLength ? undefined : await this.blobs.readStart(media, SNIFF_BYTES);
    if (!start || sniffImageType(start) !== contentType) {
      await this.remove(media, upload.objectName);
      throw new DomainError(
        ErrorCode.InvalidImage,
        `the uploaded file is not a valid ${contentType} image of at most ${contentLength} bytes`,
      );
    }
    return media;
  }

  async remove(...objectNames: string[]): Promise<void> {
    await Promise.all(objectNames.map((name) => this.blobs.delete(name)));
  }
}
