import type { Entity, QueryResult } from './store.types.js';

/** Where the next page of a query starts, or undefined on the last page (a short page is the last one). */
export function resumeCursor(result: QueryResult, limit: number): string | undefined {
  return result.moreResults && result.entities.length === limit ? result.endCursor : undefined;
}

/** The total of a count kept as shards (`{size}` entities), absent shards counting 0. */
export function sumShards(shards: readonly (Entity | undefined)[]): number {
  return shards.reduce((total, shard) => total + ((shard?.data.size as number | undefined) ?? 0), 0);
}
