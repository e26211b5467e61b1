import { resumeCursor, sumShards } from '../store/query-page.js';
import { randomInt } from 'node:crypto';
import { lookupAll, type LookupPart } from '../store/lookup-plan.js';
import { EntityExistsError } from '../store/store.errors.js';
import { Store } from '../store/store.js';
import { KEY_PROPERTY, STORE_LIMITS, type Entity, type Key, type Transaction } from '../store/store.types.js';
import { GroupCommitter } from './group-committer.js';

/** The kinds one membership relation (followers of a user, likers of a post) is stored under. */
export interface MembershipKinds {
  /** A batch of members: `{owner, members[], size, open}`, a few open per owner. */
  readonly batch: string;
  /** One per (owner, member): idempotency, "is member" by key, which batch to edit, and the newest-first lists. */
  readonly marker: string;
  /** One small counter per (owner, slot): the owner's count is the sum of its shards. */
  readonly counter: string;
  /** Optional per-member counter shards (how many owners a member joined: `followingCount`). */
  readonly memberCounter?: string;
}

export interface MembershipSettings {
  readonly kinds: MembershipKinds;
  /** The entity that must exist for its set to change (the followed user, the liked post). */
  readonly ownerKey: (owner: string) => Key;
  /** Members per batch before it closes and the slot opens a new one. */
  readonly batchCeiling: number;
  /**
   * How member lists are ordered: `newest` first (and the reverse lookup, memberships of a member) needs markers
   * indexed by member and time, with a composite index; `stable` lists by member id from the built-in index, so
   * a marker costs a third of the index writes (what a hot post's likes need most).
   */
  readonly listOrder: 'newest' | 'stable';
}

export interface MembershipChange {
  /** Whether the member is in the set now. */
  readonly member: boolean;
  /** Whether this call changed anything (false for a repeat). */
  readonly changed: boolean;
  /** The owner's member count right after the commit. */
  readonly count: number;
}

export interface MemberPage {
  readonly ids: string[];
  readonly cursor?: string;
}

export interface MemberBatch {
  readonly name: string;
  readonly owner: string;
  readonly members: string[];
}

/** The owner of a change does not exist (or no longer does). */
export class OwnerNotFoundError extends Error {
  constructor(readonly owner: string) {
    super(`no such owner: ${owner}`);
  }
}

/** Slots per owner: open batches and counter shards. A count read looks all of them up. */
const MEMBERSHIP_SLOTS = 8;
const MEMBER_COUNTER_SHARDS = 4;
/**
 * Commits of one owner in flight at once per process. Fewer, larger commits beat many small ones: a transaction
 * has a fixed cost (the emulator serves ~50/s whatever their size); other instances use the other slots.
 */
const COMMITS_IN_FLIGHT = 2;
/** Operations combined into one commit: with their markers, batches and counters it stays far below 500 mutations. */
const MAX_GROUP = 100;
/** A concurrent instance inserting the same marker: the group runs again and sees it. */
const MAX_MARKER_RACES = 3;

interface Op {
  readonly member: string;
  readonly join: boolean;
}

type BatchData = { owner: string; members: string[]; size: number; open: boolean; createdAt: Date };
type MarkerData = { owner: string; member: string; batch: string; createdAt: Date };
type CounterData = { owner: string; size: number; generation: number };

const COUNTER_UNINDEXED = ['owner', 'size', 'generation'];
const BATCH_UNINDEXED = ['members', 'size', 'open', 'createdAt'];

/**
 * A set of members per owner kept without a hot entity: members live in batch entities, a few open at a time;
 * a per-(owner, member) marker written in the same transaction makes repeats no-ops; the count is the sum of
 * small counter shards, one per slot. Concurrent changes of one owner are combined by a GroupCommitter into
 * one transaction per slot, so a hot owner costs a few commits, not one contended commit per member.
 */
export class MembershipRepository {
  private readonly committer: GroupCommitter<Op, MembershipChange>;
  private readonly markerUnindexed: string[];

  constructor(
    private readonly store: Store,
    private readonly settings: MembershipSettings,
  ) {
    this.markerUnindexed = settings.listOrder === 'newest' ? ['batch'] : ['batch', 'member', 'createdAt'];
    this.committer = new GroupCommitter((owner, slot, ops) => this.commitGroup(owner, slot, ops), {
      slots: MEMBERSHIP_SLOTS,
      concurrency: COMMITS_IN_FLIGHT,
      maxGroup: MAX_GROUP,
      memberWide: settings.kinds.memberCounter !== undefined,
    });
  }

  /** Adds or removes a member; resolves once stored. Rejects with OwnerNotFoundError when the owner is gone. */
  change(owner: string, member: string, join: boolean): Promise<MembershipChange> {
    return this.committer.submit(owner, { member, join });
  }

  /** Members, newest first or in a stable order (see `listOrder`). */
  async members(owner: string, limit: number, cursor?: string): Promise<MemberPage> {
    return this.page('owner', owner, 'member', limit, cursor);
  }

  /** Owners a member joined, newest first (only with `listOrder: 'newest'`). */
  async memberships(member: string, limit: number, cursor?: string): Promise<MemberPage> {
    if (this.settings.listOrder !== 'newest') {
      throw new Error('memberships are listed only with listOrder newest');
    }
    return this.page('member', member, 'owner', limit, cursor);
  }

  /** Counts of many owners from their counter shards, in one lookup. */
  countsLookup(owners: readonly string[]): LookupPart<Map<string, number>> {
    return {
      keys: owners.flatMap((owner) => this.counterKeys(owner)),
      read: (entities) =>
        new Map(
          owners.map((owner, i) => [
            owner,
            sumShards(
              entities.slice(i * MEMBERSHIP_SLOTS, (i + 1) * MEMBERSHIP_SLOTS) as (Entity<CounterData> | undefined)[],
            ),
          ]),
        ),
    };
  }

  /** How many owners each member joined (`followingCount`). */
  memberCountsLookup(members: readonly string[]): LookupPart<Map<string, number>> {
    const kind = this.settings.kinds.memberCounter;
    if (!kind) {
      throw new Error('this membership keeps no member counters');
    }
    const keysOf = (member: string) =>
      Array.from({ length: MEMBER_COUNTER_SHARDS }, (_, shard) => memberCounterKey(kind, member, shard));
    return {
      keys: members.flatMap(keysOf),
      read: (entities) =>
        new Map(
          members.map((member, i) => [
            member,
            sumShards(
              entities.slice(i * MEMBER_COUNTER_SHARDS, (i + 1) * MEMBER_COUNTER_SHARDS) as (
                Entity<{ size: number }> | undefined
              )[],
            ),
          ]),
        ),
    };
  }

  /** Whether each (owner, member) pair is in its set, by marker key. */
  isMemberLookup(pairs: readonly { owner: string; member: string }[]): LookupPart<boolean[]> {
    return {
      keys: pairs.map(({ owner, member }) => this.markerKey(owner, member)),
      read: (entities) => entities.map(Boolean),
    };
  }

  async counts(owners: readonly string[]): Promise<Map<string, number>> {
    const [counts] = await lookupAll(this.store, [this.countsLookup(owners)]);
    return counts;
  }

  /** Every non-empty batch of an owner (what a post fans out to). */
  async batches(owner: string): Promise<MemberBatch[]> {
    const batches: MemberBatch[] = [];
    for (let cursor: string | undefined, more = true; more;) {
      const result = await this.store.query<BatchData>({
        kind: this.settings.kinds.batch,
        filters: [{ property: 'owner', op: '=', value: owner }],
        // A full batch is up to ~650 KB: a few per response keep each one a few MB.
        limit: 5,
        startCursor: cursor,
      });
      for (const { key, data } of result.entities) {
        if (data.members.length > 0) {
          batches.push({ name: key.name, owner, members: data.members });
        }
      }
      more = result.moreResults && result.entities.length > 0;
      cursor = result.endCursor;
    }
    return batches;
  }

  /** Deletes an owner's whole set (its markers, batches and counters), a commit-sized piece at a time. */
  async removeOwner(owner: string): Promise<void> {
    for (const kind of [this.settings.kinds.marker, this.settings.kinds.batch]) {
      for (let more = true; more;) {
        const result = await this.store.query({
          kind,
          filters: [{ property: 'owner', op: '=', value: owner }],
          limit: STORE_LIMITS.mutationsPerCommit,
          keysOnly: true,
        });
        await this.store.delete(result.entities.map((entity) => entity.key));
        more = result.entities.length === STORE_LIMITS.mutationsPerCommit;
      }
    }
    await this.store.delete(this.counterKeys(owner));
  }

  private async page(by: 'owner' | 'member', value: string, other: 'owner' | 'member', limit: number, cursor?: string) {
    const result = await this.store.query<MarkerData>({
      kind: this.settings.kinds.marker,
      filters: [{ property: by, op: '=', value }],
      orders:
        this.settings.listOrder === 'newest'
          ? [{ property: 'createdAt', direction: 'desc' }]
          : [{ property: KEY_PROPERTY, direction: 'asc' }],
      limit,
      startCursor: cursor,
    });
    return {
      ids: result.entities.map((entity) => entity.data[other]),
      cursor: resumeCursor(result, limit),
    };
  }

  private async commitGroup(owner: string, slot: number, ops: readonly Op[]): Promise<MembershipChange[]> {
    // Checked outside the transaction: the emulator aborts concurrent transactions that merely read one entity,
    // and every commit of a hot owner would read it. A change racing with the owner's deletion may outlive it;
    // the deletion's clean-up and every read path go by the owner, so it is never shown.
    const [ownerEntity] = await this.store.get([this.settings.ownerKey(owner)]);
    if (!ownerEntity) {
      throw new OwnerNotFoundError(owner);
    }
    let changed: boolean[] | undefined;
    for (let races = 1; !changed; races++) {
      try {
        changed = await this.store.runInTransaction((tx) => this.applyGroup(tx, owner, slot, ops));
      } catch (error) {
        if (!(error instanceof EntityExistsError) || races >= MAX_MARKER_RACES) {
          throw error;
        }
      }
    }
    const count = (await this.counts([owner])).get(owner) ?? 0;
    const done = changed;
    return ops.map((op, i) => ({ member: op.join, changed: done[i], count }));
  }

  private async applyGroup(tx: Transaction, owner: string, slot: number, ops: readonly Op[]): Promise<boolean[]> {
    const { kinds, batchCeiling } = this.settings;
    const memberCounterKeys = kinds.memberCounter
      ? ops.map((op) => memberCounterKey(kinds.memberCounter!, op.member, randomInt(MEMBER_COUNTER_SHARDS)))
      : [];
    const [counter, ...rest] = await tx.get([
      this.counterKey(owner, slot),
      ...ops.map((op) => this.markerKey(owner, op.member)),
      ...memberCounterKeys,
    ]);
    const markers = rest.slice(0, ops.length) as (Entity<MarkerData> | undefined)[];
    const memberCounters = rest.slice(ops.length) as (Entity<{ size: number }> | undefined)[];
    let generation = (counter?.data as CounterData | undefined)?.generation ?? 0;
    let openName = batchName(owner, slot, generation);
    const leaving = ops.flatMap((op, i) => (!op.join && markers[i] ? [markers[i].data.batch] : []));
    const names = [...new Set([openName, ...leaving])];
    const found = await tx.get<BatchData>(names.map((name) => this.batchKey(name)));
    const batches = new Map(names.map((name, i) => [name, found[i]?.data && { ...found[i].data }]));
    const touched = new Set<string>();
    const now = new Date();
    let delta = 0;

    const changed = ops.map((op, i) => {
      const marker = markers[i];
      if (op.join === Boolean(marker)) {
        return false;
      }
      if (op.join) {
        let open = batches.get(openName);
        if (open && open.size >= batchCeiling) {
          open.open = false;
          touched.add(openName);
          generation += 1;
          openName = batchName(owner, slot, generation);
          open = undefined;
        }
        open ??= { owner, members: [], size: 0, open: true, createdAt: now };
        open.members = [...open.members, op.member];
        open.size = open.members.length;
        batches.set(openName, open);
        touched.add(openName);
        const data: MarkerData = { owner, member: op.member, batch: openName, createdAt: now };
        tx.insert([{ key: this.markerKey(owner, op.member), data, excludeFromIndexes: this.markerUnindexed }]);
      } else {
        const batch = batches.get(marker!.data.batch);
        if (batch) {
          batch.members = batch.members.filter((member) => member !== op.member);
          batch.size = batch.members.length;
          touched.add(marker!.data.batch);
        }
        tx.delete([this.markerKey(owner, op.member)]);
      }
      delta += op.join ? 1 : -1;
      if (kinds.memberCounter) {
        const size = (memberCounters[i]?.data.size ?? 0) + (op.join ? 1 : -1);
        tx.upsert([{ key: memberCounterKeys[i], data: { size }, excludeFromIndexes: ['size'] }]);
      }
      return true;
    });
    if (touched.size === 0) {
      return changed;
    }
    const counterData: CounterData = {
      owner,
      size: ((counter?.data as CounterData | undefined)?.size ?? 0) + delta,
      generation,
    };
    tx.upsert([
      { key: this.counterKey(owner, slot), data: counterData, excludeFromIndexes: COUNTER_UNINDEXED },
      ...[...touched].map((name) => ({
        key: this.batchKey(name),
        data: batches.get(name)!,
        excludeFromIndexes: BATCH_UNINDEXED,
      })),
    ]);
    return changed;
  }

  private counterKeys(owner: string): Key[] {
    return Array.from({ length: MEMBERSHIP_SLOTS }, (_, slot) => this.counterKey(owner, slot));
  }

  private counterKey(owner: string, slot: number): Key {
    return { kind: this.settings.kinds.counter, name: `${owner}:${slot}` };
  }

  private batchKey(name: string): Key {
    return { kind: this.settings.kinds.batch, name };
  }

  private markerKey(owner: string, member: string): Key {
    return { kind: this.settings.kinds.marker, name: `${owner}:${member}` };
  }
}

function batchName(owner: string, slot: number, generation: number): string {
  return `${owner}:${slot}:${generation}`;
}

function memberCounterKey(kind: string, member: string, shard: number): Key {
  return { kind, name: `${member}:${shard}` };
}
