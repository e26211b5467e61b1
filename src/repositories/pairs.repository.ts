import { Injectable } from '@nestjs/common';
import { type PairKind, pairKey } from '../keys/pair.keys.js';
import type { LookupPart } from '../store/lookup-plan.js';
import { resumeCursor } from '../store/query-page.js';
import { Store } from '../store/store.js';

/** One user's marker about another: a block (blocker to blocked), a mute, a follow request (requester to account). */
type PairData = {
  from: string;
  to: string;
  createdAt: Date;
};

export interface Pair {
  readonly from: string;
  readonly to: string;
}

export interface PairPage {
  readonly ids: string[];
  readonly cursor?: string;
}

/**
 * Blocks, mutes and follow requests: one small entity per pair, so "is A blocked by B" is a key that rides in a
 * page's one lookup, and no write of one pair touches an entity another pair writes. Lists are bounded queries:
 * blocks and mutes by who made them, follow requests by the account asked (index.yaml).
 */
@Injectable()
export class PairsRepository {
  constructor(private readonly store: Store) {}

  /** Whether each pair is marked, by key. */
  markedLookup(kind: PairKind, pairs: readonly Pair[]): LookupPart<boolean[]> {
    return { keys: pairs.map(({ from, to }) => pairKey(kind, from, to)), read: (entities) => entities.map(Boolean) };
  }

  /** Marks the pair; a repeat keeps the first mark. Resolves to whether this call made it. */
  add(kind: PairKind, from: string, to: string): Promise<boolean> {
    const key = pairKey(kind, from, to);
    return this.store.runInTransaction(async (tx) => {
      const [found] = await tx.get([key]);
      if (found) {
        return false;
      }
      tx.upsert([{ key, data: { from, to, createdAt: new Date() } satisfies PairData }]);
      return true;
    });
  }

  /** Removes the marks of these pairs; resolves to which of them existed. One commit. */
  remove(kind: PairKind, pairs: readonly Pair[]): Promise<boolean[]> {
    const keys = pairs.map(({ from, to }) => pairKey(kind, from, to));
    return this.store.runInTransaction(async (tx) => {
      const found = await tx.get(keys);
      tx.delete(keys.filter((_, i) => found[i]));
      return found.map(Boolean);
    });
  }

  /** Whom `from` marked, newest first (my blocks, my mutes). */
  marksBy(kind: PairKind, from: string, limit: number, cursor?: string): Promise<PairPage> {
    return this.page(kind, 'from', from, limit, cursor);
  }

  /** Who marked `to`, newest first (follow requests to me). */
  marksOf(kind: PairKind, to: string, limit: number, cursor?: string): Promise<PairPage> {
    return this.page(kind, 'to', to, limit, cursor);
  }

  private async page(kind: PairKind, by: 'from' | 'to', value: string, limit: number, cursor?: string) {
    const other = by === 'from' ? 'to' : 'from';
    const result = await this.store.query<PairData>({
      kind,
      filters: [{ property: by, op: '=', value }],
      orders: [{ property: 'createdAt', direction: 'desc' }],
      limit,
      startCursor: cursor,
    });
    return {
      ids: result.entities.map((entity) => entity.data[other]),
      cursor: resumeCursor(result, limit),
    };
  }
}
