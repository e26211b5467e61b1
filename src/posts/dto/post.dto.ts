import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { IsOptionalNotNull } from '../../common/optional-not-null.js';
import { UserSummaryDto } from '../../users/dto/user.dto.js';
import { POST_ID_PATTERN } from '../../keys/post.keys.js';

export class CreatePostRequest {
  /** From POST /v1/uploads, after the bytes were PUT. */
  @Matches(/^[0-9a-f]{32}$/, { message: 'uploadId must be an upload id from POST /v1/uploads' })
  uploadId!: string;

  @IsOptionalNotNull()
  @IsString({ message: 'caption must be a string' })
  @MaxLength(2200, { message: 'caption must be at most 2,200 characters' })
  caption?: string;
}

export class PostIdParam {
  /** A post id (the `id` of a post). */
  @ApiProperty({ pattern: POST_ID_PATTERN.source })
  @Matches(POST_ID_PATTERN, { message: 'id must be a post id' })
  id!: string;
}

export class PostDto {
  id!: string;
  author!: UserSummaryDto;
  /** Where the browser loads the image from. */
  imageUrl!: string;
  caption!: string;
  /** ISO 8601. */
  createdAt!: string;
  likeCount!: number;
  likedByMe!: boolean;
}

/** A page of posts, newest first. */
export class PostPageDto {
  items!: PostDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor!: string | null;
}
