import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/current-user.decorator.js';
import { AppConfig } from '../config/app-config.js';
import { WriteRateLimiter } from './write-rate-limiter.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class TooManyWritesException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    limit: number,
  ) {
    super(`too many writes: at most ${limit} a minute, retry in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Limits each signed-in user's writes on this instance, by user id wherever they connect from. Runs after
 * AuthGuard. The open writes are not counted: the dev issuer is off in production and a local blob upload
 * is already bounded by its signed URL (one object, one size, 15 minutes).
 */
@Injectable()
export class WriteRateLimitGuard implements CanActivate, OnModuleDestroy {
  private readonly limiter: WriteRateLimiter;
  private readonly sweeper: NodeJS.Timeout;

  constructor(config: AppConfig) {
    this.limiter = new WriteRateLimiter(config.writeRateLimit);
    this.sweeper = setInterval(() => this.limiter.sweep(), 60_000).unref();
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Partial<AuthenticatedRequest>>();
    if (!request.user || !WRITES.has(request.method ?? '')) {
      return true;
    }
    const wait = this.limiter.take(request.user.id);
    if (wait !== undefined) {
      throw new TooManyWritesException(wait, this.limiter.limit);
    }
    return true;
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}
