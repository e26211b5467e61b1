import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/current-user.decorator.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { UsersRepository } from '../repositories/users.repository.js';

/**
 * How long an instance trusts what it read of a user's suspension. The instance that suspends or lifts knows at
 * once; others within this long. Bounded staleness is the price of not reading the user on every write.
 */
const STATUS_TTL_MS = 10_000;
const STATUSES_KEPT = 100_000;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether users are suspended, from their record, kept in memory a few seconds per instance. */
@Injectable()
export class AccountStatus {
  private readonly known = new Map<string, { suspended: boolean; until: number }>();

  constructor(private readonly users: UsersRepository) {}

  async isSuspended(userId: string): Promise<boolean> {
    const now = Date.now();
    const known = this.known.get(userId);
    if (known && known.until > now) {
      return known.suspended;
    }
    const suspended = (await this.users.findById(userId))?.suspended ?? false;
    this.remember(userId, suspended);
    return suspended;
  }

  /** What a suspension or its lifting just stored: this instance knows it at once. */
  remember(userId: string, suspended: boolean): void {
    if (this.known.size >= STATUSES_KEPT) {
      this.known.clear();
    }
    this.known.set(userId, { suspended, until: Date.now() + STATUS_TTL_MS });
  }
}

/** Refuses every write of a suspended user (403 account_suspended); reads stay open (their own profile says why). */
@Injectable()
export class SuspensionGuard implements CanActivate {
  constructor(private readonly status: AccountStatus) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Partial<AuthenticatedRequest>>();
    if (!request.user || READS.has(request.method ?? '')) {
      return true;
    }
    if (await this.status.isSuspended(request.user.id)) {
      throw new DomainError(
        ErrorCode.AccountSuspended,
        'this account is suspended: it cannot post, like, comment or follow',
      );
    }
    return true;
  }
}
