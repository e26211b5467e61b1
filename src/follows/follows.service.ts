import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { PageCursors } from '../common/page-cursor.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import type { MembershipChange } from '../membership/membership.repository.js';
import { OwnerNotFoundError } from '../membership/membership.repository.js';
import { PostsRepository } from '../posts/posts.repository.js';
import { ReceiversRepository } from '../timeline/receivers.repository.js';
import type { UserPageDto } from '../users/dto/user.dto.js';
import { UsersService } from '../users/users.service.js';
import type { FollowStateDto } from './dto/follow.dto.js';
import { FollowsRepository } from './follows.repository.js';

/** A new follower finds this many of the followee's latest posts in their timeline. */
const BACKFILL_POSTS = 20;

@Injectable()
export class FollowsService {
  constructor(
    private readonly follows: FollowsRepository,
    private readonly posts: PostsRepository,
    private readonly receivers: ReceiversRepository,
    private readonly users: UsersService,
    private readonly cursors: PageCursors,
  ) {}

  follow(caller: AuthenticatedUser, userId: string): Promise<FollowStateDto> {
    return this.setFollowing(caller, userId, true);
  }

  unfollow(caller: AuthenticatedUser, userId: string): Promise<FollowStateDto> {
    return this.setFollowing(caller, userId, false);
  }

  async followers(userId: string, page: PageQuery): Promise<UserPageDto> {
    // Decoded before any store call starts: a bad cursor must not leave a lookup running unawaited.
    const from = this.cursors.decode(page.cursor, `followers/${userId}`);
    const [, result] = await Promise.all([
      this.users.requireUser(userId),
      this.follows.followersOf(userId, page.limit, from?.store),
    ]);
    return this.users.userPage(`followers/${userId}`, result);
  }

  async following(userId: string, page: PageQuery): Promise<UserPageDto> {
    const from = this.cursors.decode(page.cursor, `following/${userId}`);
    const [, result] = await Promise.all([
      this.users.requireUser(userId),
      this.follows.followedBy(userId, page.limit, from?.store),
    ]);
    return this.users.userPage(`following/${userId}`, result);
  }

  private async setFollowing(caller: AuthenticatedUser, userId: string, following: boolean): Promise<FollowStateDto> {
    if (userId === caller.id) {
      throw new BadRequestException('you cannot follow yourself');
    }
    // The follower appears in lists and fan-outs, so they must exist as a user first.
    await this.users.ensureExists(caller);
    let change: MembershipChange;
    try {
      change = await this.follows.setFollowing(caller.id, userId, following);
    } catch (error) {
      throw error instanceof OwnerNotFoundError ? new NotFoundException('user not found') : error;
    }
    if (following) {
      // Also on a repeat: it completes a backfill an earlier attempt may not have finished.
      const { posts } = await this.posts.byAuthor(userId, BACKFILL_POSTS);
      await this.receivers.backfill(caller.id, posts);
    }
    return { following: change.member, followerCount: change.count };
  }
}
