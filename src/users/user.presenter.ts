import { Injectable } from '@nestjs/common';
import { BlobStore } from '../blobs/blob-store.js';
import { AVATAR_SUMMARY_SIDE } from '../keys/media.keys.js';
import type { FollowCounts } from '../repositories/follows.repository.js';
import { type UserRecord, UsersRepository } from '../repositories/users.repository.js';
import { PageCursors } from '../security/page-cursors.js';
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

export function toProfile(user: UserRecord, counts: ProfileCounts, followedByMe: boolean, blobs: BlobStore): UserDto {
  return {
    ...toSummary(user, blobs),
    avatarVariants: (user.avatar?.variants ?? []).map(({ width, height, objectName }) => ({
      width,
      height,
      url: blobs.mediaUrl(objectName),
    })),
    bio: user.bio,
    followerCount: counts.followerCount,
    followingCount: counts.followingCount,
    postCount: counts.postCount,
    followedByMe,
    createdAt: user.createdAt.toISOString(),
  };
}

export function toMe(user: UserRecord, counts: ProfileCounts, blobs: BlobStore): MeDto {
  return { ...toProfile(user, counts, false, blobs), email: user.email };
}

/** Lists of users (followers, likers) as pages of summaries: what every feature's user lists show. */
@Injectable()
export class UserPresenter {
  constructor(
    private readonly users: UsersRepository,
    private readonly cursors: PageCursors,
    private readonly blobs: BlobStore,
  ) {}

  /** A page of member ids of `list` as user summaries, in one lookup. */
  async page(list: string, page: { ids: string[]; cursor?: string }): Promise<UserPageDto> {
    return { items: await this.summaries(page.ids), nextCursor: this.cursors.next(list, page.cursor) };
  }

  /** Summaries in the order of `ids`, leaving out users that no longer exist. */
  async summaries(ids: readonly string[]): Promise<UserSummaryDto[]> {
    const users = await this.users.findByIds(ids);
    return ids.flatMap((id) => {
      const user = users.get(id);
      return user ? [toSummary(user, this.blobs)] : [];
    });
  }
}
