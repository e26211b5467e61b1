import { type CanActivate, type ExecutionContext, Injectable, type OnModuleDestroy, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/current-user.decorator.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { RateLimiter } from './rate-limiter.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const NO_RATE_LIMIT = 'picfeed:noRateLimit';

/** Keeps a route out of the rate limit (health checks come from the platform, as often as it likes). */
export const NoRateLimit = (): MethodDecorator & ClassDecorator => SetMetadata(NO_RATE_LIMIT, true);

function tooManyRequests(retryAfterSeconds: number, what: string, limit: number): DomainError {
  return new DomainError(
    ErrorCode.RateLimited,
    `too many ${what}: at most ${limit} a minute, retry in ${retryAfterSeconds} s`,
    { retryAfterSeconds },
  );
}

/**
 * Limits each signed-in user's reads and writes on this instance, by user id wherever they connect from, and reads
 * of the open routes (the local blob folder's signed URLs) by client address. Runs after AuthGuard. Every
 * limited answer carries the IETF RateLimit-Limit, -Remaining and -Reset headers.
 */
@Injectable()
export class RateLimitGuard implements CanActivate, OnModuleDestroy {
  private readonly reads: RateLimiter;
  private readonly writes: RateLimiter;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.reads = new RateLimiter(config.readRateLimit);
    this.writes = new RateLimiter(config.writeRateLimit);
    this.sweeper = setInterval(() => [this.reads, this.writes].forEach((limiter) => limiter.sweep()), 60_000).unref();
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(NO_RATE_LIMIT, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const request = context.switchToHttp().getRequest<Partial<AuthenticatedRequest>>();
    const response = context.switchToHttp().getResponse<Response>();
    const write = WRITES.has(request.method ?? '');
    // An open write is already bounded by what signed it (one PUT per upload URL) or is the dev issuer (off in
    // production): counting them per address would refuse a roomful of people behind one NAT.
    if (write && !request.user) {
      return true;
    }
    const limiter = write ? this.writes : this.reads;
    const caller = request.user ? `user:${request.user.id}` : `ip:${request.ip ?? 'unknown'}`;
    const wait = limiter.take(caller);
    const { remaining, resetSeconds } = limiter.status(caller);
    response.setHeader('RateLimit-Limit', String(limiter.limit));
    response.setHeader('RateLimit-Remaining', String(remaining));
    response.setHeader('RateLimit-Reset', String(wait ?? resetSeconds));
    if (wait !== undefined) {
      throw tooManyRequests(wait, write ? 'writes' : 'reads', limiter.limit);
    }
    return true;
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}
