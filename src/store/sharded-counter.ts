import { randomInt } from 'node:crypto';
import type { LookupPart } from './lookup-plan.js';
import type { Entity, EntityData, Key } from './store.types.js';

/** What every shard stores; a counter may keep more beside it (which batch its slot writes). */
export interface ShardData extends EntityData {
  size: number;
}

/**
 * A count kept as the sum of a few small shards, one entity each, so no entity is written by every change of a
 * busy owner: a change moves one shard, a read looks all of them up (in the same lookup as the rest of a page).
 */
export class ShardedCounter<T extends ShardData = ShardData> {
  constructor(
    readonly kind: string,
    readonly shards: number,
    /** Properties left out of the indexes: none of a shard's is ever queried. */
    private readonly unindexed: readonly string[] = ['size'],
  ) {}

  key(owner: string, shard: number): Key {
    return { kind: this.kind, name: `${owner}:${shard}` };
  }

  /** The shard a change with no slot of its own moves. */
  randomKey(owner: string): Key {
    return this.key(owner, randomInt(this.shards));
  }

  keys(owner: string): Key[] {
    return Array.from({ length: this.shards }, (_, shard) => this.key(owner, shard));
  }

  /** The counts of many owners from all their shards, in one lookup; an owner with none counts 0. */
  countsLookup(owners: readonly string[]): LookupPart<Map<string, number>> {
    return {
      keys: owners.flatMap((owner) => this.keys(owner)),
      read: (entities) =>
        new Map(
          owners.map((owner, i) => [
            owner,
            entities
              .slice(i * this.shards, (i + 1) * this.shards)
              .reduce((total, shard) => total + ((shard?.data.size as number | undefined) ?? 0), 0),
          ]),
        ),
    };
  }

  /** The shard at `key` moved by `delta` from what a transaction read of it (`current`, absent when new). */
  moved(key: Key, current: Entity<ShardData> | undefined, delta: number): Entity {
    return this.stored(key, { size: (current?.data.size ?? 0) + delta });
  }

  /** A shard as it must be stored. */
  stored(key: Key, data: ShardData | T): Entity {
    return { key, data, excludeFromIndexes: [...this.unindexed] };
  }
}
