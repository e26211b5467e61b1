import { ApiProperty } from '@nestjs/swagger';

/** One stored size of an image (WebP) under an immutable URL, cached by browsers for a year. */
export class ImageVariantDto {
  @ApiProperty({ type: 'integer' })
  width!: number;
  @ApiProperty({ type: 'integer' })
  height!: number;
  url!: string;
}
