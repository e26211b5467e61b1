import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import type { PairKind } from '../keys/pair.keys.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { PairsRepository } from '../repositories/pairs.repository.js';
import { PageCursors } from '../security/page-cursors.js';
import type { UserPageDto } from '../users/dto/user.dto.js';
import { UserPresenter } from '../users/user.presenter.js';
import { UsersService } from '../users/users.service.js';
import type { BlockStateDto, MuteStateDto } from './dto/relation-state.dto.js';

/** Blocks and mutes: markers by pair, which every page's lookups read (see Relations). */
@Injectable()
export class BlocksService {
  constructor(
    private readonly pairs: PairsRepository,
    private readonly follows: FollowsRepository,
    private readonly users: UsersService,
    private readonly presenter: UserPresenter,
    private readonly cursors: PageCursors,
  ) {}

  /**
   * Blocks the user: the block is stored first, then follows both ways and pending requests end (their counts move).
   * A follow racing the block checks for it after its own commit and undoes itself (FollowsService), so none
   * survives whichever commits first. A repeat changes nothing more.
   */
  async block(caller: AuthenticatedUser, userId: string): Promise<BlockStateDto> {
    await this.prepare(caller, userId, ErrorCode.CannotBlockSelf, 'block');
    await this.pairs.add('Block', caller.id, userId);
    await Promise.all([
      this.follows.setFollowing(caller.id, userId, false),
      this.follows.setFollowing(userId, caller.id, false),
      this.pairs.remove('FollowRequest', [
        { from: caller.id, to: userId },
        { from: userId, to: caller.id },
      ]),
    ]);
    return { blocked: true };
  }

  /** Lifts the block; follows it ended stay ended. */
  async unblock(caller: AuthenticatedUser, userId: string): Promise<BlockStateDto> {
    await this.prepare(caller, userId, ErrorCode.CannotBlockSelf, 'block');
    await this.pairs.remove('Block', [{ from: caller.id, to: userId }]);
    return { blocked: false };
  }

  /** Mutes the user: their posts leave the caller's timeline; nothing else changes and they are not told. */
  async mute(caller: AuthenticatedUser, userId: string): Promise<MuteStateDto> {
    await this.prepare(caller, userId, ErrorCode.CannotMuteSelf, 'mute');
    await this.pairs.add('Mute', caller.id, userId);
    return { muted: true };
  }

  async unmute(caller: AuthenticatedUser, userId: string): Promise<MuteStateDto> {
    await this.prepare(caller, userId, ErrorCode.CannotMuteSelf, 'mute');
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
    return this.presenter.page(list, result, caller, { withBlocked: true });
  }

  /** Refuses the caller themself and unknown users; makes sure the caller exists (the marker lists them). */
  private async prepare(caller: AuthenticatedUser, userId: string, self: ErrorCode, verb: string): Promise<void> {
    if (userId === caller.id) {
      throw new DomainError(self, `you cannot ${verb} yourself`);
    }
    await Promise.all([this.users.requireUser(userId), this.users.ensureExists(caller)]);
  }
}
