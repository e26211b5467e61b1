import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { IsOptionalNotNull } from '../../common/optional-not-null.js';
import { USER_ID_PATTERN } from '../../common/key-name.js';
import { COMMENT_ID_PATTERN } from '../../keys/comment.keys.js';
import { POST_ID_PATTERN } from '../../keys/post.keys.js';
import { UserSummaryDto } from '../../users/dto/user.dto.js';

export const REPORT_REASONS = [
  'spam',
  'harassment',
  'hate',
  'violence',
  'nudity',
  'self_harm',
  'misinformation',
  'other',
] as const;
export const MAX_REPORT_NOTE = 1000;

/** What a report is about: exactly one of postId, commentId, userId. */
export class CreateReportRequest {
  @ApiPropertyOptional({ pattern: POST_ID_PATTERN.source })
  @IsOptionalNotNull()
  @Matches(POST_ID_PATTERN, { message: 'postId must be a post id' })
  postId?: string;

  @ApiPropertyOptional({ pattern: COMMENT_ID_PATTERN.source })
  @IsOptionalNotNull()
  @Matches(COMMENT_ID_PATTERN, { message: 'commentId must be a comment id' })
  commentId?: string;

  @ApiPropertyOptional({ pattern: USER_ID_PATTERN.source })
  @IsOptionalNotNull()
  @Matches(USER_ID_PATTERN, { message: 'userId must be a user id' })
  userId?: string;

  @ApiProperty({ enum: REPORT_REASONS })
  @IsIn(REPORT_REASONS, { message: `reason must be one of ${REPORT_REASONS.join(', ')}` })
  reason!: (typeof REPORT_REASONS)[number];

  /** Up to 1,000 characters once trimmed. */
  @ApiPropertyOptional({ maxLength: MAX_REPORT_NOTE })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @ValidateIf((_body, value) => value !== undefined)
  @IsString({ message: 'note must be a string' })
  @MaxLength(MAX_REPORT_NOTE, { message: `note must be at most ${MAX_REPORT_NOTE.toLocaleString('en')} characters` })
  note?: string;
}

export class ReportTargetDto {
  @ApiProperty({ enum: ['post', 'comment', 'user'] })
  type!: 'post' | 'comment' | 'user';
  id!: string;
  /** The post reported, or the post of the comment reported; null for a user. */
  postId!: string | null;
}

export class ReportDto {
  id!: string;
  /** Who reported; null when that user no longer exists. */
  reporter!: UserSummaryDto | null;
  target!: ReportTargetDto;
  @ApiProperty({ enum: REPORT_REASONS })
  reason!: string;
  note!: string | null;
  /** ISO 8601. */
  createdAt!: string;
}

export class ReportPageDto {
  items!: ReportDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor!: string | null;
}

export class ReportIdParam {
  @ApiProperty({ pattern: '^[0-9a-f]{32}$' })
  @Matches(/^[0-9a-f]{32}$/, { message: 'id must be a report id' })
  id!: string;
}

/** Whether the user is suspended, after the call. */
export class SuspensionStateDto {
  suspended!: boolean;
}
