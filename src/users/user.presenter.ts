import { Injectable } from '@nestjs/common';
import { BlobStore } from '../blobs/blob-store.js';
import { AVATAR_SUMMARY_SIDE } from '../keys/media.keys.js';
import type { FollowCounts } from '../repositories/follows.repository.js';
import { type UserRecord, UsersRepository } from '../repositories/users.repository.js';
import { NO_RELATION, Relations, type Relation, type Viewer } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import { Lookups } from '../store/lookup-plan.js';
import type { MeDto, UserDto, UserPageDto, UserSummaryDto } from './dto/user.dto.js';

export type ProfileCounts = FollowCounts & { postCount: number };

/** The user's own avatar at the size lists show, else their Google picture, else null. */
function avatarUrl(user: UserRecord, blobs: BlobStore): string | null {
  const variants = user.avatar?.variants;
  if (!variants?.length) {
    return user.pictureUrl;
  }
  const shown = variants.find((variant) => variant.width >= AVATAR_SUMMARY_SIDE) ?? variants.at(-1)!;
  return blobs.mediaUrl(shown.objectName);
}

export function toSummary(user: UserRecord, blobs: BlobStore): UserSummaryDto {
  return { id: user.id, username: user.username, displayName: user.displayName, avatarUrl: avatarUrl(user, blobs) };
}

export function toProfile(user: UserRecord, counts: ProfileCounts, relation: Relation, blobs: BlobStore): UserDto {
  return {
    ...toSummary(user, blobs),
    avatarVariants: (user.avatar?.variants ?? []).map(({ width, height, objectName }) => ({
      width,
      height,
      url: blobs.mediaUrl(objectName),
    })),
    bio: user.bio,
    private: user.private,
    followerCount: counts.followerCount,
    followingCount: counts.followingCount,
    postCount: counts.postCount,
    followedByMe: relation.followedByMe,
    requestedByMe: relation.requestedByMe,
    followsMe: relation.followsMe,
    blockedByMe: relation.blockedByMe,
    mutedByMe: relation.mutedByMe,
    createdAt: user.createdAt.toISOString(),
  };
}

export function toMe(user: UserRecord, counts: ProfileCounts, blobs: BlobStore, admin: boolean): MeDto {
  return {
    ...toProfile(user, counts, NO_RELATION, blobs),
    email: user.email,
    suspended: user.suspended,
    admin,
  };
}

/** Lists of users (followers, likers) as pages of summaries: what every feature's user lists show. */
@Injectable()
export class UserPresenter {
  constructor(
    private readonly users: UsersRepository,
    private readonly relations: Relations,
    private readonly lookups: Lookups,
    private readonly cursors: PageCursors,
    private readonly blobs: BlobStore,
  ) {}

  /**
   * A page of member ids of `list` as the viewer may see them, in one lookup: users who blocked the viewer or whom
   * the viewer blocked, and suspended ones, are left out (a page may come out short; its cursor goes on).
   */
  async page(
    list: string,
    page: { ids: string[]; cursor?: string },
    viewer: Viewer,
    options: { everyone?: boolean } = {},
  ): Promise<UserPageDto> {
    const items = await this.summaries(page.ids, viewer, options);
    return { items, nextCursor: this.cursors.next(list, page.cursor) };
  }

  /** Summaries in the order of `ids`, leaving out users that no longer exist or that the viewer must not see. */
  async summaries(
    ids: readonly string[],
    viewer: Viewer,
    { everyone = false }: { everyone?: boolean } = {},
  ): Promise<UserSummaryDto[]> {
    // My own blocks list shows everyone I blocked (to unblock them): only there do blocks and suspensions not hide.
    const [users, blocked] = await this.lookups.run([
      this.users.recordsLookup(ids),
      this.relations.blocksLookup(viewer.id, everyone ? [] : ids),
    ]);
    return ids.flatMap((id) => {
      const user = users.get(id);
      return user && (everyone || isListed(user, blocked, viewer)) ? [toSummary(user, this.blobs)] : [];
    });
  }
}

/** Whether a user shows in the viewer's lists: not blocked either way, not suspended (admins see everyone). */
export function isListed(user: UserRecord, blocked: ReadonlySet<string>, viewer: Viewer): boolean {
  return viewer.admin === true || user.id === viewer.id || (!user.suspended && !blocked.has(user.id));
}
