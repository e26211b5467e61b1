/** A public profile. */
export class UserDto {
  /** The user's id (the Google account's `sub`). */
  id!: string;
  username!: string;
  displayName!: string;
  avatarUrl!: string | null;
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
  avatarUrl!: string | null;
}

/** A page of users, newest first. */
export class UserPageDto {
  items!: UserSummaryDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor!: string | null;
}
