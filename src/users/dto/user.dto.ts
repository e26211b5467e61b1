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
  followerCount!: number;
  followingCount!: number;
  postCount!: number;
  /** Whether the caller follows this user. */
  followedByMe!: boolean;
  /** ISO 8601. */
  createdAt!: string;
}

/** The signed-in user's own profile: the public one plus the email. */
export class MeDto extends UserDto {
  email!: string | null;
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
