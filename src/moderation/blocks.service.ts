import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import type { PairKind } from '../keys/pair.keys.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { NotificationsRepository } from '../repositories/notifications.repository.js';
import { PairsRepository } from '../repositories/pairs.repository.js';
import { BLOCK_TASK_WAIT_MS, type BlockTask, blockTask } from '../relations/block-task.js';
import { Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import { TaskHandlers } from '../tasks/task-handlers.js';
import { TaskQueue } from '../tasks/task-queue.js';
import type { UserPageDto } from '../users/dto/user.dto.js';
import { UserPresenter } from '../users/user.presenter.js';
import { UsersService } from '../users/users.service.js';
import type { BlockStateDto, MuteStateDto } from './dto/relation-state.dto.js';

const userNotFound = (): DomainError => new DomainError(ErrorCode.UserNotFound, 'user not found');

/** Blocks and mutes: markers by pair, which every page's lookups read (see Relations). */
@Injectable()
export class BlocksService implements OnModuleInit {
  constructor(
    private readonly pairs: PairsRepository,
    private readonly follows: FollowsRepository,
    private readonly notifications: NotificationsRepository,
    private readonly users: UsersService,
    private readonly relations: Relations,
    private readonly presenter: UserPresenter,
    private readonly cursors: PageCursors,
    private readonly tasks: TaskQueue,
    private readonly handlers: TaskHandlers,
  ) {}

  onModuleInit(): void {
    this.handlers.register('block', (payload) => this.endRelationsLater(payload as unknown as BlockTask));
  }

  /**
   * Blocks the user: the block is stored, then follows both ways and pending requests end (their counts move). A
   * task stored first ends them again, so a failure or a crash after the block cannot leave a follow behind (the
   * timeline relies on it: a followed author is never a blocked one). A follow racing the block checks for it after
   * its own commit and undoes itself (FollowsService), so none survives whichever commits first.
   */
  async block(caller: AuthenticatedUser, userId: string): Promise<BlockStateDto> {
    await this.prepare(caller, userId, ErrorCode.CannotBlockSelf, 'block');
    await this.tasks.enqueue([blockTask(caller.id, userId)]);
    await this.pairs.add('Block', caller.id, userId);
    this.relations.forget(caller.id, userId);
    await this.endRelations(caller.id, userId);
    return { blocked: true };
  }

  /**
   * The task: ends the follows while a block stands between the two. A block not committed yet is waited for (the
   * task fails and is retried) until BLOCK_TASK_WAIT_MS; then the block is taken to have failed. It may run again.
   */
  private async endRelationsLater({ blocker, blocked, requestedAt }: BlockTask): Promise<void> {
    if (await this.relations.blockedEitherWay(blocker, blocked)) {
      await this.endRelations(blocker, blocked);
    } else if (Date.now() - Date.parse(requestedAt) < BLOCK_TASK_WAIT_MS) {
      throw new Error(`no block between ${blocker} and ${blocked} yet`);
    }
  }

  /** Ends the follows both ways and the requests between the two (each a no-op when already gone). */
  private async endRelations(blocker: string, blocked: string): Promise<void> {
    this.relations.forget(blocker, blocked);
    await Promise.all([
      this.follows.setFollowing(blocker, blocked, false),
      this.follows.setFollowing(blocked, blocker, false),
      // What each told the other goes too (grouped likes show only actors the recipient may see).
      this.notifications.removeFrom(blocker, blocked),
      this.notifications.removeFrom(blocked, blocker),
      this.pairs.remove('FollowRequest', [
        { from: blocker, to: blocked },
        { from: blocked, to: blocker },
      ]),
    ]);
  }

  /** Lifts the block; follows it ended stay ended. */
  async unblock(caller: AuthenticatedUser, userId: string): Promise<BlockStateDto> {
    await this.prepare(caller, userId, ErrorCode.CannotBlockSelf, 'block', true);
    await this.pairs.remove('Block', [{ from: caller.id, to: userId }]);
    this.relations.forget(caller.id, userId);
    return { blocked: false };
  }

  /** Mutes the user: their posts leave the caller's timeline; nothing else changes and they are not told. */
  async mute(caller: AuthenticatedUser, userId: string): Promise<MuteStateDto> {
    await this.prepare(caller, userId, ErrorCode.CannotMuteSelf, 'mute');
    await this.pairs.add('Mute', caller.id, userId);
    return { muted: true };
  }

  async unmute(caller: AuthenticatedUser, userId: string): Promise<MuteStateDto> {
    await this.prepare(caller, userId, ErrorCode.CannotMuteSelf, 'mute', true);
    await this.pairs.remove('Mute', [{ from: caller.id, to: userId }]);
    return { muted: false };
  }

  listBlocked(caller: AuthenticatedUser, page: PageQuery): Promise<UserPageDto> {
    return this.list('Block', caller, page);
  }

  listMuted(caller: AuthenticatedUser, page: PageQuery): Promise<UserPageDto> {
    return this.list('Mute', caller, page);
  }

  private async list(kind: PairKind, caller: AuthenticatedUser, page: PageQuery): Promise<UserPageDto> {
    const list = `${kind}/${caller.id}`;
    const from = this.cursors.decode(page.cursor, list);
    const result = await this.pairs.marksBy(kind, caller.id, page.limit, from?.store);
    // My blocks list shows everyone I blocked (suspended or not), to unblock them; my mutes list only those I see.
    return this.presenter.page(list, result, caller, { everyone: kind === 'Block' });
  }

  /**
   * Refuses the caller themself, and users the caller cannot see (unknown, suspended, or who blocked the caller): for
   * them the account does not exist, and a block or mute of it must not say otherwise. Makes sure the caller exists
   * (the marker lists them). Lifting a block or a mute of mine always works.
   */
  private async prepare(
    caller: AuthenticatedUser,
    userId: string,
    self: ErrorCode,
    verb: string,
    lifting = false,
  ): Promise<void> {
    if (userId === caller.id) {
      throw new DomainError(self, `you cannot ${verb} yourself`);
    }
    const [{ user, access }] = await Promise.all([
      this.relations.access(caller, userId),
      this.users.ensureExists(caller),
    ]);
    if (lifting ? !user : !access.profile) {
      throw userNotFound();
    }
  }
}
