import { ShardedCounter, type ShardData } from '../store/sharded-counter.js';
import type { Key } from '../store/store.types.js';
import type { CounterData } from './membership-planner.js';
import {
  MEMBER_COUNTER_SHARDS,
  MEMBERSHIP_SLOTS,
  type MembershipSettings,
  type NewestSettings,
} from './membership.settings.js';

/** Where one membership relation's entities live: batches, markers, slot counters and member counters. */
export class MembershipKeys {
  /** One shard per slot, beside the generation of the slot's open batch. */
  readonly counter: ShardedCounter<CounterData>;

  constructor(private readonly settings: MembershipSettings) {
    this.counter = new ShardedCounter(settings.kinds.counter, MEMBERSHIP_SLOTS, ['owner', 'size', 'generation']);
  }

  batch(name: string): Key {
    return { kind: this.settings.kinds.batch, name };
  }

  marker(owner: string, member: string): Key {
    return { kind: this.settings.kinds.marker, name: `${owner}:${member}` };
  }
}

/** The shards of each member's own count, kept by a relation listed both ways. */
export function memberCounter(settings: NewestSettings): ShardedCounter<ShardData> {
  return new ShardedCounter(settings.memberCounter, MEMBER_COUNTER_SHARDS);
}
