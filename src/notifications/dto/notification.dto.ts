import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, Matches } from 'class-validator';
import { IsOptionalNotNull } from '../../common/optional-not-null.js';
import { UserSummaryDto } from '../../users/dto/user.dto.js';

export const NOTIFICATION_TYPES = [
  'like',
  'comment',
  'reply',
  'comment_like',
  'mention',
  'follow',
  'follow_request',
  'follow_accepted',
] as const;

export class NotificationPostDto {
  id!: string;
  /** The post's first image at its smallest size. */
  thumbnailUrl!: string | null;
}

export class NotificationCommentDto {
  id!: string;
  text!: string;
}

/** Something that happened to the caller; likes of one post, likes of one comment and new followers are grouped. */
export class NotificationDto {
  /** Stable while the item stays (a grouped item keeps it as actors join). */
  id!: string;
  @ApiProperty({ enum: NOTIFICATION_TYPES })
  type!: (typeof NOTIFICATION_TYPES)[number];
  /** The newest actors (at most 3) the caller may see. */
  actors!: UserSummaryDto[];
  /** How many did it: exact for a grouped item (likes taken back leave the count). */
  actorCount!: number;
  /** The post it is about (likes, comments, replies, comment likes, mentions). */
  post!: NotificationPostDto | null;
  /** The comment it is about (comments, replies, comment likes, mentions in a comment). */
  comment!: NotificationCommentDto | null;
  createdAt!: string;
  /** When an actor last joined: the list's order. */
  updatedAt!: string;
  read!: boolean;
}

/** A page of notifications, last updated first. */
export class NotificationPageDto {
  items!: NotificationDto[];
  /**
   * When the newest row of this page was updated, items left out included: pass it as `until` to mark read what the
   * page covers (null when it covers nothing).
   */
  newestAt!: string | null;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor!: string | null;
}

export class UnreadCountDto {
  /** Unread items (a group counts once). */
  count!: number;
  /** True when there are more unread than `count` (show "99+"). */
  more!: boolean;
}

/** A date and time as RFC 3339 writes it (what `Date.parse` reads): `2026-12-01T10:00:00.000Z`, `...+01:00`. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export class MarkReadRequest {
  /** ISO 8601: everything updated up to this time is read (default: now; a later time counts as now). */
  @ApiPropertyOptional({ format: 'date-time', pattern: RFC3339.source })
  @IsOptionalNotNull()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date and time' })
  @Matches(RFC3339, { message: 'until must be an ISO 8601 date and time' })
  until?: string;
}
