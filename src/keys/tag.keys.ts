import { ShardedCounter, type ShardData } from '../store/sharded-counter.js';
import type { Entity, Key } from '../store/store.types.js';

/** Posts per hashtag: a shard per publish, moved in the post's own commit (publish, caption edit, delete). */
export const tagCount = new ShardedCounter('TagCount', 16);

/** A hashtag that was used: its prefixes for the tag search, and its popularity tier to order it by. */
export const TAG_KIND = 'Tag';
export const tagKey = (tag: string): Key => ({ kind: TAG_KIND, name: tag });

/** How the post counts of a post's tags move in its commit: the shards to read, then the shards to write. */
export function tagCountMoves(deltas: ReadonlyMap<string, number>): {
  keys: Key[];
  write: (found: readonly (Entity | undefined)[]) => Entity[];
} {
  const moving = [...deltas].filter(([, delta]) => delta !== 0);
  const keys = moving.map(([tag]) => tagCount.randomKey(tag));
  return {
    keys,
    write: (found) =>
      moving.map(([, delta], i) => tagCount.moved(keys[i], found[i] as Entity<ShardData> | undefined, delta)),
  };
}

/** +1 for each tag only `after` has, -1 for each only `before` has. */
export function tagDeltas(before: readonly string[], after: readonly string[]): Map<string, number> {
  const deltas = new Map<string, number>();
  for (const tag of after) {
    deltas.set(tag, 1);
  }
  for (const tag of before) {
    deltas.set(tag, (deltas.get(tag) ?? 0) - 1);
  }
  return deltas;
}
