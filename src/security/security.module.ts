import { Global, Module } from '@nestjs/common';
import { PageCursors } from '../common/page-cursor.js';
import { Store } from '../store/store.js';
import { loadSigningKey } from './signing-keys.js';

/** The service's signing keys and what uses them: page cursors that clients cannot forge. */
@Global()
@Module({
  providers: [
    {
      provide: PageCursors,
      inject: [Store],
      useFactory: async (store: Store) => new PageCursors(await loadSigningKey(store, 'page-cursors')),
    },
  ],
  exports: [PageCursors],
})
export class SecurityModule {}
