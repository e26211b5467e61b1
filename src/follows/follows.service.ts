import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { PostsRepository } from '../repositories/posts.repository.js';
import { ReceiversRepository } from '../repositories/receivers.repository.js';
import { PageCursors } from '../security/page-cursors.js';
import type { UserPageDto } from '../users/dto/user.dto.js';
import { UserPresenter } from '../users/user.presenter.js';
import { TaskHandlers } from '../tasks/task-handlers.js';
import { TaskQueue } from '../tasks/task-queue.js';
import { UsersService } from '../users/users.service.js';
import type { FollowStateDto } from './dto/follow.dto.js';

/** A new follower finds this many of the followee's latest posts in their timeline. */
const BACKFILL_POSTS = 20;

interface BackfillTask {
  readonly follower: string;
  readonly followee: string;
}

@Injectable()
export class FollowsService implements OnModuleInit {
  constructor(
    private readonly follows: FollowsRepository,
    private readonly posts: PostsRepository,
    private readonly receivers: ReceiversRepository,
    private readonly users: UsersService,
    private readonly presenter: UserPresenter,
    private readonly cursors: PageCursors,
    private readonly tasks: TaskQueue,
    private readonly handlers: TaskHandlers,
  ) {}

  onModuleInit(): void {
    this.handlers.register('backfill', (payload) => this.backfill(payload as unknown as BackfillTask));
  }

  /** Puts the followee's latest posts into the new follower's timeline (a task: it may run more than once). */
  private async backfill({ follower, followee }: BackfillTask): Promise<void> {
    const { posts } = await this.posts.byAuthor(followee, BACKFILL_POSTS);
    await this.receivers.backfill(follower, posts);
  }

  followUser(caller: AuthenticatedUser, userId: string): Promise<FollowStateDto> {
    return this.setFollowing(caller, userId, true);
  }

  unfollowUser(caller: AuthenticatedUser, userId: string): Promise<FollowStateDto> {
    return this.setFollowing(caller, userId, false);
  }

  async listFollowers(userId: string, page: PageQuery): Promise<UserPageDto> {
    // Decoded before any store call starts: a bad cursor must not leave a lookup running unawaited.
    const from = this.cursors.decode(page.cursor, `followers/${userId}`);
    const [, result] = await Promise.all([
      this.users.requireUser(userId),
      this.follows.followersOf(userId, page.limit, from?.store),
    ]);
    return this.presenter.page(`followers/${userId}`, result);
  }

  async listFollowing(userId: string, page: PageQuery): Promise<UserPageDto> {
    const from = this.cursors.decode(page.cursor, `following/${userId}`);
    const [, result] = await Promise.all([
      this.users.requireUser(userId),
      this.follows.followedBy(userId, page.limit, from?.store),
    ]);
    return this.presenter.page(`following/${userId}`, result);
  }

  private async setFollowing(caller: AuthenticatedUser, userId: string, following: boolean): Promise<FollowStateDto> {
    if (userId === caller.id) {
      throw new DomainError(ErrorCode.CannotFollowSelf, 'you cannot follow yourself');
    }
    // The follower appears in lists and fan-outs, so they must exist as a user first.
    await this.users.ensureExists(caller);
    const change = await this.follows.setFollowing(caller.id, userId, following);
    if (following) {
      // Also on a repeat: a task of the same key still pending is not stored twice. The key changes each minute, as
      // Cloud Tasks refuses a name used in the last days: a follow, unfollow, follow again must backfill again.
      const task: BackfillTask = { follower: caller.id, followee: userId };
      const minute = Math.floor(Date.now() / 60_000);
      await this.tasks.enqueue([
        { queue: 'backfill', key: `${caller.id}\n${userId}\n${minute}`, payload: { ...task } },
      ]);
    }
    return { following: change.member, followerCount: change.count };
  }
}
