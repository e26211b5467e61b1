import type { Key } from '../store/store.types.js';

/** What one user can mark about another: each is one entity per (from, to) pair, found by key. */
export type PairKind = 'Block' | 'Mute' | 'FollowRequest';

/**
 * The key of `from`'s marker about `to`. The first id's length comes first: ids may contain ':', and ("a", "b:c")
 * must not meet ("a:b", "c").
 */
export function pairKey(kind: PairKind, from: string, to: string): Key {
  return { kind, name: `${from.length}:${from}:${to}` };
}
