import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { singleItem } from '../keys/notification.keys.js';
import { NotificationsRepository } from '../repositories/notifications.repository.js';
import { PairsRepository } from '../repositories/pairs.repository.js';
import { PostsRepository } from '../repositories/posts.repository.js';
import { ReceiversRepository } from '../repositories/receivers.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import type { ApproveRequestsTask } from '../relations/approve-requests.task.js';
import { blockTask } from '../relations/block-task.js';
import { accessTo, NO_RELATION, Relations, requireContent } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import { Lookups } from '../store/lookup-plan.js';
import type { UserPageDto } from '../users/dto/user.dto.js';
import { UserPresenter } from '../users/user.presenter.js';
import { TaskHandlers } from '../tasks/task-handlers.js';
import { TaskQueue } from '../tasks/task-queue.js';
import { UsersService } from '../users/users.service.js';
import type { FollowerStateDto, FollowStateDto } from './dto/follow.dto.js';

/** A new follower finds this many of the followee's latest posts in their timeline. */
const BACKFILL_POSTS = 20;
/** Follow requests approved at once when an account goes public. */
const APPROVALS_PER_STEP = 100;

interface BackfillTask {
  readonly follower: string;
  readonly followee: string;
}

const userNotFound = (): DomainError => new DomainError(ErrorCode.UserNotFound, 'user not found');

@Injectable()
export class FollowsService implements OnModuleInit {
  constructor(
    private readonly follows: FollowsRepository,
    private readonly pairs: PairsRepository,
    private readonly notifications: NotificationsRepository,
    private readonly posts: PostsRepository,
    private readonly receivers: ReceiversRepository,
    private readonly userRecords: UsersRepository,
    private readonly users: UsersService,
    private readonly relations: Relations,
    private readonly presenter: UserPresenter,
    private readonly lookups: Lookups,
    private readonly cursors: PageCursors,
    private readonly tasks: TaskQueue,
    private readonly handlers: TaskHandlers,
  ) {}

  onModuleInit(): void {
    this.handlers.register('backfill', (payload) => this.backfill(payload as unknown as BackfillTask));
    this.handlers.register('approve-requests', (payload) => this.approveAll(payload as unknown as ApproveRequestsTask));
  }

  /** Puts the followee's latest posts into the new follower's timeline (a task: it may run more than once). */
  private async backfill({ follower, followee }: BackfillTask): Promise<void> {
    const { posts } = await this.posts.byAuthor(followee, BACKFILL_POSTS);
    await this.receivers.backfill(follower, posts);
  }

  /**
   * Follows the user, or asks to when their account is private and the caller does not follow them yet. Throws
   * user_not_found (also when they blocked the caller), user_blocked when the caller blocked them.
   */
  async followUser(caller: AuthenticatedUser, userId: string): Promise<FollowStateDto> {
    notSelf(caller, userId);
    // The follower appears in lists and fan-outs, so they must exist as a user first.
    await this.users.ensureExists(caller);
    const [[users, relations], counts] = await this.lookups.run([
      this.relations.audienceLookup(caller.id, [userId]),
      this.follows.countsLookup([userId]),
    ]);
    const user = users.get(userId);
    const relation = relations.get(userId) ?? NO_RELATION;
    const access = accessTo({ id: caller.id }, user, relation);
    if (!access.profile) {
      throw userNotFound();
    }
    if (relation.blockedByMe) {
      throw new DomainError(ErrorCode.UserBlocked, 'you blocked this user: unblock them to follow them');
    }
    const followerCount = counts.get(userId)?.followerCount ?? 0;
    if (user!.private && !relation.followedByMe) {
      return this.ask(caller.id, userId, followerCount);
    }
    const [change] = await Promise.all([
      this.startFollowing(caller.id, userId, true),
      // A request left from while the account was private (it went public meanwhile) is answered by this follow.
      relation.requestedByMe ? this.dropRequests([pair(caller.id, userId)]) : undefined,
    ]);
    if (user!.private && change.changed) {
      // A repeat follow of a private account that removed the caller as a follower meanwhile: not a follow to make
      // again without its approval.
      const undone = await this.follows.setFollowing(caller.id, userId, false);
      return this.ask(caller.id, userId, undone.count);
    }
    return { following: true, requested: false, followerCount: change.count };
  }

  /**
   * Asks to follow a private account. Checked again once stored: a block committed meanwhile removes the request
   * (404), and an account that went public meanwhile (its pending requests approved already) is followed at once.
   */
  private async ask(requester: string, userId: string, followerCount: number): Promise<FollowStateDto> {
    if (await this.pairs.add('FollowRequest', requester, userId)) {
      // Shown only while the request stands, so a crash between the two writes cannot leave a stale one on view.
      const at = new Date();
      await this.notifications.addSingles([
        { recipient: userId, type: 'follow_request', item: singleItem.followRequest(requester), actor: requester, at },
      ]);
    }
    const [[users, relations]] = await this.lookups.run([this.relations.audienceLookup(requester, [userId])]);
    const relation = relations.get(userId) ?? NO_RELATION;
    const user = users.get(userId);
    if (!user || relation.blockedByMe || relation.blocksMe) {
      await this.dropRequests([pair(requester, userId)]);
      throw userNotFound();
    }
    if (!user.private) {
      const change = await this.startFollowing(requester, userId, true);
      await this.dropRequests([pair(requester, userId)]);
      return { following: true, requested: false, followerCount: change.count };
    }
    return { following: false, requested: true, followerCount };
  }

  /**
   * Stops following the user, or withdraws the request to follow them; a repeat changes nothing. For a user the
   * caller cannot see (who blocked them, or suspended) it still ends both, then answers 404 like for anyone unknown.
   */
  async unfollowUser(caller: AuthenticatedUser, userId: string): Promise<FollowStateDto> {
    notSelf(caller, userId);
    const [change, , { access }] = await Promise.all([
      this.follows.setFollowing(caller.id, userId, false),
      this.dropRequests([pair(caller.id, userId)]),
      this.relations.access(caller, userId),
    ]).finally(() => this.relations.forget(userId, caller.id));
    if (!access.profile) {
      throw userNotFound();
    }
    return { following: false, requested: false, followerCount: change.count };
  }

  /**
   * Makes `follower` follow `followee` and backfills their timeline, unless a block stands between them once the
   * follow is stored: a block committed meanwhile may have ended follows before this one existed, so this one is
   * undone (and the caller told the user is gone). Either the block's own clean-up or this check sees the follow.
   */
  private async startFollowing(follower: string, followee: string, tell: boolean) {
    const change = await this.follows.setFollowing(follower, followee, true, tell);
    this.relations.forget(followee, follower);
    await this.unlessBlocked(follower, followee, async () => {
      await this.follows.setFollowing(follower, followee, false);
      this.relations.forget(followee, follower);
    });
    // Also on a repeat: a task of the same key still pending is not stored twice. The key changes each minute, as
    // Cloud Tasks refuses a name used in the last days: a follow, unfollow, follow again must backfill again.
    const task: BackfillTask = { follower, followee };
    const minute = Math.floor(Date.now() / 60_000);
    await this.tasks.enqueue([{ queue: 'backfill', key: `${follower}\n${followee}\n${minute}`, payload: { ...task } }]);
    return change;
  }

  /**
   * Undoes what was just stored when a block now stands between the two users, and answers 404. The block's task is
   * stored first: an undo that fails is done again by it.
   */
  private async unlessBlocked(a: string, b: string, undo: () => Promise<unknown>): Promise<void> {
    if (await this.relations.blockedEitherWay(a, b)) {
      await this.tasks.enqueue([blockTask(a, b)]);
      await undo();
      throw userNotFound();
    }
  }

  async listFollowers(userId: string, page: PageQuery, caller: AuthenticatedUser): Promise<UserPageDto> {
    // Decoded before any store call starts: a bad cursor must not leave a lookup running unawaited.
    const from = this.cursors.decode(page.cursor, `followers/${userId}`);
    const [{ access }, result] = await Promise.all([
      this.relations.access(caller, userId),
      this.follows.followersOf(userId, page.limit, from?.store),
    ]);
    requireContent(access);
    return this.presenter.page(`followers/${userId}`, result, caller);
  }

  async listFollowing(userId: string, page: PageQuery, caller: AuthenticatedUser): Promise<UserPageDto> {
    const from = this.cursors.decode(page.cursor, `following/${userId}`);
    const [{ access }, result] = await Promise.all([
      this.relations.access(caller, userId),
      this.follows.followedBy(userId, page.limit, from?.store),
    ]);
    requireContent(access);
    return this.presenter.page(`following/${userId}`, result, caller);
  }

  /** Who asked to follow the caller, newest first. */
  async listRequests(caller: AuthenticatedUser, page: PageQuery): Promise<UserPageDto> {
    const list = `follow-requests/${caller.id}`;
    const from = this.cursors.decode(page.cursor, list);
    const result = await this.pairs.marksOf('FollowRequest', caller.id, page.limit, from?.store);
    return this.presenter.page(list, result, caller);
  }

  /** Approves a follow request: the user follows the caller, with backfill. A repeat answers the same. */
  async approveRequest(caller: AuthenticatedUser, userId: string): Promise<FollowerStateDto> {
    notSelf(caller, userId, 'you cannot answer a follow request of your own');
    const [[requested], [follows]] = await this.lookups.run([
      this.pairs.markedLookup('FollowRequest', [pair(userId, caller.id)]),
      this.follows.followersLookup(caller.id, [userId]),
    ]);
    if (!requested && !follows) {
      throw new DomainError(
        ErrorCode.FollowRequestNotFound,
        'follow request not found: this user has not asked to follow you',
      );
    }
    return this.approve(caller.id, userId);
  }

  private async approve(owner: string, requester: string): Promise<FollowerStateDto> {
    // Followed first, then the request removed: a failure in between leaves a request to approve again. The owner
    // approved it, so only the requester is told.
    const change = await this.startFollowing(requester, owner, false);
    const at = new Date();
    await Promise.all([
      this.dropRequests([pair(requester, owner)]),
      change.changed
        ? this.notifications.addSingles([
            { recipient: requester, type: 'follow_accepted', item: singleItem.followAccepted(owner), actor: owner, at },
          ])
        : undefined,
    ]);
    return { follower: true, followerCount: change.count };
  }

  /** Denies a follow request; a repeat, or no request, changes nothing. */
  async denyRequest(caller: AuthenticatedUser, userId: string): Promise<void> {
    notSelf(caller, userId, 'you cannot answer a follow request of your own');
    await this.dropRequests([pair(userId, caller.id)]);
  }

  /** Removes a follower: they stop following the caller, and their timeline loses the caller's posts. */
  async removeFollower(caller: AuthenticatedUser, userId: string): Promise<FollowerStateDto> {
    notSelf(caller, userId, 'you are not one of your followers');
    await this.users.ensureExists(caller);
    const change = await this.follows.setFollowing(userId, caller.id, false);
    this.relations.forget(caller.id, userId);
    return { follower: false, followerCount: change.count };
  }

  /** Removes follow requests with what told their accounts of them. */
  private async dropRequests(requests: readonly { from: string; to: string }[]): Promise<void> {
    await Promise.all([
      this.pairs.remove('FollowRequest', requests),
      this.notifications.removeItems(
        requests.map(({ from, to }) => ({ recipient: to, item: singleItem.followRequest(from) })),
      ),
    ]);
  }

  /** Approves pending requests, a page at a time, while the account stays public (a task: it may run again). */
  private async approveAll({ owner }: ApproveRequestsTask): Promise<void> {
    for (;;) {
      const user = await this.userRecords.findById(owner);
      if (!user || user.private) {
        return;
      }
      const { ids } = await this.pairs.marksOf('FollowRequest', owner, APPROVALS_PER_STEP);
      if (ids.length === 0) {
        return;
      }
      // A requester blocked meanwhile is refused (user_not_found): their request goes too. The answered requests are
      // removed in one commit; any other failure leaves its request for the task's retry.
      const outcomes = await Promise.allSettled(ids.map((requester) => this.startFollowing(requester, owner, true)));
      const answered = ids.filter((_, i) => {
        const outcome = outcomes[i];
        return outcome.status === 'fulfilled' || isUserNotFound(outcome.reason);
      });
      await this.dropRequests(answered.map((requester) => pair(requester, owner)));
      const failed = outcomes.find(
        (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected' && !isUserNotFound(outcome.reason),
      );
      if (failed) {
        throw failed.reason;
      }
    }
  }
}

function isUserNotFound(error: unknown): boolean {
  return error instanceof DomainError && error.code === ErrorCode.UserNotFound;
}

function pair(from: string, to: string) {
  return { from, to };
}

function notSelf(caller: AuthenticatedUser, userId: string, what = 'you cannot follow yourself'): void {
  if (userId === caller.id) {
    throw new DomainError(ErrorCode.CannotFollowSelf, what);
  }
}
