import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ImageVariantDto } from '../../common/dto/image-variant.dto.js';
import { IsOptionalNotNull } from '../../common/optional-not-null.js';
import { UserSummaryDto } from '../../users/dto/user.dto.js';
import { POST_ID_PATTERN, UPLOAD_ID_PATTERN } from '../../keys/post.keys.js';

export const MAX_MEDIA = 10;
export const MAX_ALT_TEXT = 1000;

export class MediaInput {
  /** From POST /v1/uploads, after the bytes were PUT. */
  @ApiProperty({ pattern: UPLOAD_ID_PATTERN.source })
  @Matches(UPLOAD_ID_PATTERN, { message: 'uploadId must be an upload id from POST /v1/uploads' })
  uploadId!: string;

  /** What the image shows, for people who cannot see it (screen readers); up to 1,000 characters. */
  @IsOptionalNotNull()
  @IsString({ message: 'altText must be a string' })
  @MaxLength(MAX_ALT_TEXT, { message: `altText must be at most ${MAX_ALT_TEXT.toLocaleString('en')} characters` })
  altText?: string;
}

/** `uploadId` and `media` are two ways to say what to publish: exactly one of them is sent. */
const NotWithMedia = ValidateBy({
  name: 'notWithMedia',
  validator: {
    validate: (_value, args) => (args?.object as { media?: unknown }).media === undefined,
    defaultMessage: () => 'send either media or uploadId, not both',
  },
});

export class CreatePostRequest {
  /** The images, in the order the post shows them: 1-10, each upload once. */
  @ApiProperty({ type: [MediaInput], minItems: 1, maxItems: MAX_MEDIA, required: false })
  @IsOptionalNotNull()
  @IsArray({ message: 'media must be an array of {uploadId, altText?}' })
  @ArrayMinSize(1, { message: 'media must hold at least 1 image' })
  @ArrayMaxSize(MAX_MEDIA, { message: `media must hold at most ${MAX_MEDIA} images` })
  @ArrayUnique((item: MediaInput | undefined) => item?.uploadId, { message: 'media must not list an upload twice' })
  @IsObject({ each: true, message: 'each item of media must be an object {uploadId, altText?}' })
  @ValidateNested({ each: true })
  @Type(() => MediaInput)
  media?: MediaInput[];

  /** A one-image post without alt text: the same as `media: [{uploadId}]`. */
  @ApiProperty({ pattern: UPLOAD_ID_PATTERN.source, required: false })
  @ValidateIf((body: CreatePostRequest) => body.media === undefined || body.uploadId !== undefined)
  @NotWithMedia
  @Matches(UPLOAD_ID_PATTERN, { message: 'uploadId must be an upload id from POST /v1/uploads (or send media)' })
  uploadId?: string;

  @IsOptionalNotNull()
  @IsString({ message: 'caption must be a string' })
  @MaxLength(2200, { message: 'caption must be at most 2,200 characters' })
  caption?: string;

  /** Whether others may comment (default true). */
  @IsOptionalNotNull()
  @IsBoolean({ message: 'commentsEnabled must be true or false' })
  commentsEnabled?: boolean;
}

/** A change of the caller's post: only the fields sent change. */
export class UpdatePostRequest {
  /** The new caption (its hashtags and mentions are parsed again); up to 2,200 characters. */
  @IsOptionalNotNull()
  @IsString({ message: 'caption must be a string' })
  @MaxLength(2200, { message: 'caption must be at most 2,200 characters' })
  caption?: string;

  /** false turns comments off: new ones answer 403 comments_disabled; the ones there stay. */
  @IsOptionalNotNull()
  @IsBoolean({ message: 'commentsEnabled must be true or false' })
  commentsEnabled?: boolean;
}

/** A user a caption or comment mentions. */
export class MentionDto {
  id!: string;
  username!: string;
}

export class PostIdParam {
  /** A post id (the `id` of a post). */
  @ApiProperty({ pattern: POST_ID_PATTERN.source })
  @Matches(POST_ID_PATTERN, { message: 'id must be a post id' })
  id!: string;
}

/**
 * An image of a post: `width`, `height` and `url` are those of its largest variant (1,080 px wide, or the image's own
 * width when it is narrower), to reserve the space before it loads.
 */
export class MediaDto extends ImageVariantDto {
  /** A placeholder to paint while it loads (https://blurha.sh). */
  blurhash!: string;
  altText!: string | null;
  /** Widths 320, 640 and 1,080 where the image is that wide, smallest first: for `srcset`. */
  variants!: ImageVariantDto[];
}

export class PostDto {
  id!: string;
  author!: UserSummaryDto;
  /** The images, 1-10, in order (empty only for a post made before images were processed). */
  media!: MediaDto[];
  /** The first image's `url`, for clients that show one image. */
  imageUrl!: string;
  caption!: string;
  /** The caption's hashtags, lowercase, in order. */
  tags!: string[];
  /** The users the caption mentions (those that existed when it was written). */
  mentions!: MentionDto[];
  /** ISO 8601. */
  createdAt!: string;
  /** ISO 8601: when the caption or the comments setting last changed; null if never. */
  editedAt!: string | null;
  likeCount!: number;
  likedByMe!: boolean;
  /** Comments, replies included. */
  commentCount!: number;
  commentsEnabled!: boolean;
}

/** A page of posts, newest first. */
export class PostPageDto {
  items!: PostDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor!: string | null;
}
