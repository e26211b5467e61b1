import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';
import { IsOptionalNotNull } from '../../common/optional-not-null.js';
import { COMMENT_ID_PATTERN } from '../../keys/comment.keys.js';
import { MentionDto } from '../../posts/dto/post.dto.js';
import { UserSummaryDto } from '../../users/dto/user.dto.js';

export const MAX_COMMENT = 2200;

export class CreateCommentRequest {
  /** 1-2,200 characters once trimmed; its hashtags and @mentions are parsed. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'text must be a string' })
  @Length(1, MAX_COMMENT, { message: `text must be 1-${MAX_COMMENT.toLocaleString('en')} characters once trimmed` })
  text!: string;

  /** A comment of the same post to reply to; a reply to a reply joins its top-level comment (one level). */
  @ApiProperty({ pattern: COMMENT_ID_PATTERN.source, required: false })
  @IsOptionalNotNull()
  @Matches(COMMENT_ID_PATTERN, { message: 'replyTo must be a comment id' })
  replyTo?: string;
}

export class CommentIdParam {
  /** A comment id (the `id` of a comment). */
  @ApiProperty({ pattern: COMMENT_ID_PATTERN.source })
  @Matches(COMMENT_ID_PATTERN, { message: 'id must be a comment id' })
  id!: string;
}

export class CommentDto {
  id!: string;
  postId!: string;
  author!: UserSummaryDto;
  text!: string;
  /** The top-level comment this one replies to; null for a top-level comment. */
  replyTo!: string | null;
  /** The users it mentions (those that existed when it was written). */
  mentions!: MentionDto[];
  /** Its hashtags, lowercase, in order. */
  tags!: string[];
  /** ISO 8601. */
  createdAt!: string;
  likeCount!: number;
  likedByMe!: boolean;
  /** Replies of a top-level comment (0 for a reply). */
  replyCount!: number;
}

/** A page of comments, oldest first. */
export class CommentPageDto {
  items!: CommentDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor!: string | null;
}

export class CommentLikeStateDto {
  liked!: boolean;
  likeCount!: number;
}
