import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Min } from 'class-validator';
import { IMAGE_TYPES, type ImageType } from '../../images/image-processor.js';

export class CreateUploadRequest {
  /** The image's type: image/jpeg, image/png, image/webp or image/avif. */
  @IsIn(IMAGE_TYPES, { message: `contentType must be one of ${IMAGE_TYPES.join(', ')}` })
  contentType!: ImageType;

  /** The image's size in bytes, at most UPLOAD_MAX_BYTES (10 MiB by default; over it: 413). */
  @ApiProperty({ type: 'integer' })
  @IsInt({ message: 'contentLength must be an integer' })
  @Min(1, { message: 'contentLength must be at least 1' })
  contentLength!: number;
}

/** Where and how to PUT the image's bytes. */
export class UploadDto {
  /** Pass to POST /v1/posts once the bytes are uploaded. */
  uploadId!: string;
  uploadUrl!: string;
  method!: 'PUT';
  /** Send these headers with the PUT, exactly (they are signed). */
  headers!: Record<string, string>;
  /** ISO 8601; the URL refuses uploads after it. */
  expiresAt!: string;
}
