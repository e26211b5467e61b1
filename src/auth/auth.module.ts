import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '../config/app-config.js';
import { RateLimitGuard } from '../security/rate-limit.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { DevIssuer } from './dev-issuer.js';
import { TokenVerifier } from './token-verifier.js';

@Module({
  controllers: [AuthController],
  providers: [
    {
      provide: DevIssuer,
      inject: [AppConfig],
      useFactory: (config: AppConfig): DevIssuer | null =>
        config.devSignIn ? DevIssuer.open(config.store === 'memory' ? undefined : config.dataDir) : null,
    },
    TokenVerifier,
    // Global guards run in this order: the rate limit needs the caller AuthGuard found.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class AuthModule {}
