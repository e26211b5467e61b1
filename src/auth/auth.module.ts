import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../config/app-config.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { DevIssuer } from './dev-issuer.js';
import { SignInOptionsController } from './sign-in-options.controller.js';
import { TokenVerifier } from './token-verifier.js';

/** Who the caller is: the deny-by-default guard, the token verifier, and the dev issuer when it is turned on. */
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    const devIssuer = config.devSignIn
      ? [
          {
            provide: DevIssuer,
            useFactory: () => DevIssuer.open(config.store === 'memory' ? undefined : config.dataDir),
          },
        ]
      : [];
    return {
      module: AuthModule,
      controllers: [SignInOptionsController, ...(config.devSignIn ? [AuthController] : [])],
      providers: [...devIssuer, TokenVerifier, { provide: APP_GUARD, useClass: AuthGuard }],
    };
  }
}
