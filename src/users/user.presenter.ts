import { Injectable } from '@nestjs/common';
import type { FollowCounts } from '../repositories/follows.repository.js';
import { type UserRecord, UsersRepository } from '../repositories/users.repository.js';
import { PageCursors } from '../security/page-cursors.js';
import type { MeDto, UserDto, UserPageDto, UserSummaryDto } from './dto/user.dto.js';

export type ProfileCounts = FollowCounts & { postCount: number };

export function toSummary(user: UserRecord): UserSummaryDto {
  return { id: user.id, username: user.username, displayName: user.displayName, avatarUrl: user.avatarUrl };
}

export function toProfile(user: UserRecord, counts: ProfileCounts, followedByMe: boolean): UserDto {
  return {
    ...toSummary(user),
    bio: user.bio,
    followerCount: counts.followerCount,
    followingCount: counts.followingCount,
    postCount: counts.postCount,
    followedByMe,
    createdAt: user.createdAt.toISOString(),
  };
}

export function toMe(user: UserRecord, counts: ProfileCounts): MeDto {
  return { ...toProfile(user, counts, false), email: user.email };
}

/** Lists of users (followers, likers) as pages of summaries: what every feature's user lists show. */
@Injectable()
export class UserPresenter {
  constructor(
    private readonly users: UsersRepository,
    private readonly cursors: PageCursors,
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
      return user ? [toSummary(user)] : [];
    });
  }
}
