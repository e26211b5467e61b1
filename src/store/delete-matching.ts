import type { Store } from './store.js';
import { STORE_LIMITS, type Query } from './store.types.js';

/** Deletes every entity a query matches, one commit-sized page of keys at a time (a set of any size, no scan). */
export async function deleteMatching(store: Store, query: Omit<Query, 'limit' | 'keysOnly' | 'startCursor'>) {
  const limit = STORE_LIMITS.mutationsPerCommit;
  for (let more = true; more;) {
    const result = await store.query({ ...query, limit, keysOnly: true });
    await store.delete(result.entities.map((entity) => entity.key));
    more = result.entities.length === limit;
  }
}
