import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedRequest } from './current-user.decorator.js';
import { IS_PUBLIC } from '../common/public.decorator.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { invalidToken, TokenVerifier } from './token-verifier.js';

/** Deny by default: every route needs a valid bearer token unless it is marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.header('authorization');
    if (!header) {
      throw new DomainError(ErrorCode.MissingToken, 'missing bearer token', {
        headers: { 'WWW-Authenticate': 'Bearer realm="picfeed"' },
      });
    }
    const match = /^Bearer +(\S+)$/i.exec(header);
    if (!match) {
      throw invalidToken('authorization header must be "Bearer <Google ID token>"');
    }
    request.user = await this.verifier.verify(match[1]);
    return true;
  }
}
