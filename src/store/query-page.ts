import type { QueryResult } from './store.types.js';

/** Where the next page of a query starts, or undefined on the last page (a short page is the last one). */
export function resumeCursor(result: QueryResult, limit: number): string | undefined {
  return result.moreResults && result.entities.length === limit ? result.endCursor : undefined;
}
