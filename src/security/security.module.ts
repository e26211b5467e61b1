import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Store } from '../store/store.js';
import { PageCursors } from './page-cursors.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { loadSigningKey } from './signing-keys.js';

/**
 * What keeps callers within bounds: page cursors signed with the service's key (clients cannot forge them) and
 * the per-user rate limit. Imported after AuthModule: global guards run in module order, and the rate limit
 * counts the caller that AuthGuard found.
 */
@Global()
@Module({
  providers: [
    {
      provide: PageCursors,
      inject: [Store],
      useFactory: async (store: Store) => new PageCursors(await loadSigningKey(store, 'page-cursors')),
    },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [PageCursors],
})
export class SecurityModule {}
