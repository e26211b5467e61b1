import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import type { PairKind } from '../keys/pair.keys.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { PairsRepository } from '../repositories/pairs.repository.js';
import { Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import { TaskHandlers } from '../tasks/task-handlers.js';
import { TaskQueue } from '../tasks/task-queue.js';
import type { UserPageDto } from '../users/dto/user.dto.js';
import { UserPresenter } from '../users/user.presenter.js';
import { UsersService } from '../users/users.service.js';
import type { BlockStateDto, MuteStateDto } from './dto/relation-state.dto.js';

/** What a block ends: the follows both ways and the requests between the two. */
interface BlockTask {
  readonly blocker: string;
  readonly blocked: string;
}

/** A block's clean-up starts this long after it is stored: by then the block itself has committed. */
const BLOCK_TASK_DELAY_MS = 1_000;

const userNotFound = (): DomainError => new DomainError(ErrorCode.UserNotFound, 'user not found');

/** Blocks and mutes: markers by pair, which every page's lookups read (see Relations). */
@Injectable()
export class BlocksService implements OnModuleInit {
  constructor(
    private readonly pairs: PairsRepository,
    private readonly follows: FollowsRepository,
    private readonly users: UsersService,
    private readonly relations: Relations,
    private readonly presenter: UserPresenter,
    private readonly cursors: PageCursors,
    private readonly tasks: TaskQueue,
    private readonly handlers: TaskHandlers,
  ) {}

  onModuleInit(): void {
    this.handlers.register('block', (payload) => this.endRelations(payload as unknown as BlockTask));
  }

  /**
   * Blocks the user: the block is stored, then follows both ways and pending requests end (their counts move). A
   * task stored first ends them again, so a failure or a crash after the block cannot leave a follow behind (the
   * timeline relies on it: a followed author is never a blocked one). A follow racing the block checks for it after
   * its own commit and undoes itself (FollowsService), so none survives whichever commits first.
   */
  async block(caller: AuthenticatedUser, userId: string): Promise<BlockStateDto> {
    await this.prepare(caller, userId, ErrorCode.CannotBlockSelf, 'block');
    const task: BlockTask = { blocker: caller.id, blocked: userId };
    await this.tasks.enqueue([
      {
        queue: 'block',
        key: `${caller.id}\n${userId}\n${Date.now()}`,
        payload: { ...task },
        delayMs: BLOCK_TASK_DELAY_MS,
      },
    ]);
    await this.pairs.add('Block', caller.id, userId);
    this.relations.forget(caller.id, userId);
    await this.endRelations(task);
    return { blocked: true };
  }

  /** Ends the follows and requests between a blocker and the blocked, while the block stands (a task: it may rerun). */
  private async endRelations({ blocker, blocked }: BlockTask): Promise<void> {
    if (!(await this.relations.blockedEitherWay(blocker, blocked))) {
      return;
    }
    await Promise.all([
      this.follows.setFollowing(blocker, blocked, false),
      this.follows.setFollowing(blocked, blocker, false),
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
