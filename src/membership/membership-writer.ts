import { deleteMatching } from '../store/delete-matching.js';
import { EntityExistsError, StoreContentionError } from '../store/store.errors.js';
import { Store } from '../store/store.js';
import type { Entity, Transaction } from '../store/store.types.js';
import { GroupCommitter } from './group-committer.js';
import {
  type BatchData,
  type CounterData,
  type MarkerData,
  type MembershipOp,
  batchesToRead,
  planGroup,
} from './membership-planner.js';
import type { MembershipReader } from './membership-reader.js';
import { MembershipKeys, memberCounter } from './membership.keys.js';
import { MEMBERSHIP_SLOTS, type MembershipChange, type MembershipSettings } from './membership.settings.js';

/**
 * Commits of one owner in flight at once per process (at most what the store runs at once). Fewer, larger commits
 * beat many small ones: a transaction has a fixed cost (the emulator serves ~50/s whatever their size); other
 * instances use the other slots.
 */
const COMMITS_IN_FLIGHT = 2;
/** Operations combined into one commit: with their markers, batches and counters it stays far below 500 mutations. */
const MAX_GROUP = 100;
/** A concurrent instance inserting the same marker: the group runs again and sees it. */
const MAX_MARKER_RACES = 3;

const BATCH_UNINDEXED = ['members', 'size', 'open', 'createdAt'];

/**
 * The write side of a membership relation: concurrent changes of one owner are combined by a GroupCommitter into
 * one transaction per slot, so a hot owner costs a few commits, not one contended commit per member.
 */
export class MembershipWriter {
  private readonly committer: GroupCommitter<MembershipOp, MembershipChange>;
  private readonly markerUnindexed: string[];

  constructor(
    private readonly store: Store,
    private readonly settings: MembershipSettings,
    private readonly keys: MembershipKeys,
    private readonly reader: MembershipReader,
  ) {
    this.markerUnindexed = settings.listOrder === 'newest' ? ['batch'] : ['batch', 'member', 'createdAt'];
    this.committer = new GroupCommitter((owner, slot, ops) => this.commitGroup(owner, slot, ops), {
      slots: MEMBERSHIP_SLOTS,
      concurrency: Math.min(COMMITS_IN_FLIGHT, store.commitConcurrency),
      maxGroup: MAX_GROUP,
      memberWide: settings.listOrder === 'newest',
    });
  }

  /** Adds or removes a member; resolves once stored. Rejects with the settings' `ownerMissing` error. */
  change(owner: string, member: string, join: boolean): Promise<MembershipChange> {
    return this.committer.submit(owner, { member, join });
  }

  /** Deletes an owner's whole set (its markers, batches and counters), a commit-sized piece at a time. */
  async removeOwner(owner: string): Promise<void> {
    for (const kind of [this.settings.kinds.marker, this.settings.kinds.batch]) {
      await deleteMatching(this.store, { kind, filters: [{ property: 'owner', op: '=', value: owner }] });
    }
    await this.store.delete(this.keys.counter.keys(owner));
  }

  private async commitGroup(owner: string, slot: number, ops: readonly MembershipOp[]): Promise<MembershipChange[]> {
    // Checked outside the transaction: the emulator aborts concurrent transactions that merely read one entity,
    // and every commit of a hot owner would read it. A change racing with the owner's deletion may outlive it;
    // the deletion's clean-up and every read path go by the owner, so it is never shown.
    const [ownerEntity] = await this.store.get([this.settings.ownerKey(owner)]);
    if (!ownerEntity) {
      throw this.settings.ownerMissing(owner);
    }
    const changed = await this.applyWithRetries(owner, slot, ops);
    const count = (await this.reader.counts([owner])).get(owner) ?? 0;
    return ops.map((op, i) => ({ member: op.join, changed: changed[i], count }));
  }

  private async applyWithRetries(owner: string, slot: number, ops: readonly MembershipOp[]): Promise<boolean[]> {
    for (let race = 1; ; race++) {
      try {
        return await this.store.runInTransaction((tx) => this.applyGroup(tx, owner, slot, ops));
      } catch (error) {
        if (!(error instanceof EntityExistsError)) {
          throw error;
        }
        if (race >= MAX_MARKER_RACES) {
          throw new StoreContentionError(race);
        }
      }
    }
  }

  private async applyGroup(tx: Transaction, owner: string, slot: number, ops: readonly MembershipOp[]) {
    const members = this.settings.listOrder === 'newest' ? memberCounter(this.settings) : undefined;
    const memberKeys = members ? ops.map((op) => members.randomKey(op.member)) : [];
    const [counter, ...rest] = await tx.get([
      this.keys.counter.key(owner, slot),
      ...ops.map((op) => this.keys.marker(owner, op.member)),
      ...memberKeys,
    ]);
    const reads = {
      counter: counter?.data as CounterData | undefined,
      markers: rest.slice(0, ops.length).map((entity) => entity?.data as MarkerData | undefined),
    };
    const memberShards = rest.slice(ops.length) as (Entity<{ size: number }> | undefined)[];
    const names = batchesToRead(owner, slot, ops, reads);
    const found = await tx.get<BatchData>(names.map((name) => this.keys.batch(name)));
    const plan = planGroup({
      owner,
      slot,
      ops,
      reads,
      batches: new Map(names.map((name, i) => [name, found[i]?.data])),
      batchCeiling: this.settings.batchCeiling,
      now: new Date(),
    });
    if (!plan.counter) {
      return plan.changed;
    }
    tx.insert(
      plan.markersToInsert.map((data) => ({
        key: this.keys.marker(owner, data.member),
        data,
        excludeFromIndexes: this.markerUnindexed,
      })),
    );
    tx.delete(plan.markersToDelete.map((member) => this.keys.marker(owner, member)));
    tx.upsert([
      this.keys.counter.stored(this.keys.counter.key(owner, slot), plan.counter),
      ...[...plan.batches].map(([name, data]) => ({
        key: this.keys.batch(name),
        data,
        excludeFromIndexes: BATCH_UNINDEXED,
      })),
      ...(members
        ? memberKeys.flatMap((key, i) =>
            plan.memberDeltas[i] === 0 ? [] : [members.moved(key, memberShards[i], plan.memberDeltas[i])],
          )
        : []),
    ]);
    return plan.changed;
  }
}
