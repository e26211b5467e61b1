import { ImageVariantDto } from '../../common/dto/image-variant.dto.js';

/** A public profile. */
export class UserDto {
  /** The user's id (the Google account's `sub`). */
  id!: string;
  username!: string;
  displayName!: string;
  /** The avatar at 160 px (the Google picture until the user sets one; null when there is neither). */
  avatarUrl!: string | null;
  /** The user's own avatar at 64, 160 and 320 px (squares, smallest first); empty until they set one. */
  avatarVariants!: ImageVariantDto[];
  bio!: string;
  /** Only followers see a private account's posts and lists; following it sends a request. */
  private!: boolean;
  followerCount!: number;
  followingCount!: number;
  postCount!: number;
  /** Whether the caller follows this user. */
  followedByMe!: boolean;
  /** Whether the caller asked to follow this (private) account and awaits an answer. */
  requestedByMe!: boolean;
  /** Whether this user follows the caller. */
  followsMe!: boolean;
  /** Whether the caller blocked this user. */
  blockedByMe!: boolean;
  /** Whether the caller muted this user (their posts stay out of the caller's timeline). */
  mutedByMe!: boolean;
  /** ISO 8601. */
  createdAt!: string;
}

/** The signed-in user's own profile: the public one plus the email. */
export class MeDto extends UserDto {
  email!: string | null;
  /** An admin suspended this account: its writes are refused and others no longer see it. */
  suspended!: boolean;
  /** Whether the caller is an admin (ADMIN_EMAILS): reports, deleting anything, suspensions. */
  admin!: boolean;
}

/** Who a user is, as lists and posts show them. */
export class UserSummaryDto {
  id!: string;
  username!: string;
  displayName!: string;
  /** The avatar at 160 px (the Google picture until the user sets one; null when there is neither). */
  avatarUrl!: string | null;
}

/** A page of users, newest first. */
export class UserPageDto {
  items!: UserSummaryDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor!: string | null;
}
