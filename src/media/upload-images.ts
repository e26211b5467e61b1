import { Injectable } from '@nestjs/common';
import { BlobStore } from '../blobs/blob-store.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { JsonLogger } from '../common/logging/json-logger.js';
import { ImageProcessor, type ImageType, type VariantPlan } from '../images/image-processor.js';
import {
  AVATAR_VARIANT_SIDES,
  avatarVariantName,
  POST_VARIANT_WIDTHS,
  postVariantName,
  type StoredVariant,
  variantNamesOf,
} from '../keys/media.keys.js';
import type { UploadRecord } from '../repositories/posts.repository.js';

export type ImageUse = 'post' | 'avatar';

const PLANS: Record<ImageUse, { plan: VariantPlan; name: (owner: string, uploadId: string, slot: number) => string }> =
  {
    post: { plan: { shape: 'width', sizes: POST_VARIANT_WIDTHS }, name: postVariantName },
    avatar: { plan: { shape: 'square', sizes: AVATAR_VARIANT_SIDES }, name: avatarVariantName },
  };

/** An upload made into stored variants (its size is the largest variant's). */
export interface StoredImage {
  readonly blurhash: string;
  readonly variants: StoredVariant[];
}

/**
 * Uploads made into the images the app serves: the original read from the blob store inside its decode turn,
 * processed, and its variants written under immutable names. The original is removed only by `removeOriginals`,
 * once what was made of it is stored; variants of an upload that never became a post or avatar are left for the
 * upload sweep (another request may be using the same upload at the same time).
 */
@Injectable()
export class UploadImages {
  constructor(
    private readonly blobs: BlobStore,
    private readonly images: ImageProcessor,
    private readonly logger: JsonLogger,
  ) {}

  /**
   * Throws upload_missing when nothing was PUT yet, invalid_image (naming `name`) when the bytes are not a whole
   * image of the declared type within the limits.
   */
  async store(name: string, upload: UploadRecord, use: ImageUse): Promise<StoredImage> {
    const { plan, name: variantName } = PLANS[use];
    const image = await this.images.process(name, upload.contentType as ImageType, () => this.load(name, upload), plan);
    const variants = await Promise.all(
      image.variants.map(async (variant) => {
        const objectName = variantName(upload.owner, upload.id, variant.slot);
        await this.blobs.writeMedia(objectName, variant.bytes, 'image/webp');
        return { width: variant.width, height: variant.height, objectName };
      }),
    );
    return { blurhash: image.blurhash, variants };
  }

  /** Deletes originals (objects in the uploads bucket) once nothing needs them; a failure is logged, not thrown. */
  async removeOriginals(objectNames: readonly string[]): Promise<void> {
    await this.removeAll(objectNames, (objectName) => this.blobs.delete(objectName));
  }

  /** Deletes every variant any use could have made of these uploads of `owner`. */
  async removeAllVariantsOf(owner: string, uploadIds: readonly string[]): Promise<void> {
    await this.removeAll(
      uploadIds.flatMap((uploadId) => variantNamesOf(owner, uploadId)),
      (objectName) => this.blobs.deleteMedia(objectName),
    );
  }

  async removeVariants(variants: readonly StoredVariant[]): Promise<void> {
    await this.removeAll(
      variants.map((variant) => variant.objectName),
      (objectName) => this.blobs.deleteMedia(objectName),
    );
  }

  private async removeAll(names: readonly string[], remove: (name: string) => Promise<void>): Promise<void> {
    const results = await Promise.allSettled(names.map(remove));
    const failed = results.flatMap((result, i) => (result.status === 'rejected' ? [names[i]] : []));
    if (failed.length > 0) {
      this.logger.entry(
        'WARNING',
        `could not delete ${failed.length} objects (${failed.join(', ')}); left to the sweep`,
      );
    }
  }

  private async load(name: string, upload: UploadRecord): Promise<Buffer> {
    const bytes = await this.blobs.read(upload.objectName, upload.contentLength);
    if (bytes === 'missing') {
      throw new DomainError(ErrorCode.UploadMissing, `${name}: nothing was uploaded for upload ${upload.id} yet`);
    }
    if (bytes === 'too_large') {
      throw new DomainError(
        ErrorCode.InvalidImage,
        `${name} is larger than the ${upload.contentLength} bytes declared`,
      );
    }
    return bytes;
  }
}
