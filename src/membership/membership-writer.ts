import { deleteMatching } from '../store/delete-matching.js';
import { EntityExistsError, StoreContentionError } from '../store/store.errors.js';
import { Store } from '../store/store.js';
import type { Entity, Transaction } from '../store/store.types.js';
import { type NotificationData, notificationUnindexed, readMarkerKey } from '../keys/notification.keys.js';
import { GroupCommitter } from './group-committer.js';
import { groupRowNames, type Notice, planNotices, RecentActors, rowKey } from './membership-notices.js';
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
  private readonly recentActors: RecentActors;

  constructor(
    private readonly store: Store,
    private readonly settings: MembershipSettings,
    private readonly keys: MembershipKeys,
    private readonly reader: MembershipReader,
  ) {
    this.markerUnindexed =
      settings.listOrder === 'newest' ? ['batch', 'notice'] : ['batch', 'member', 'createdAt', 'notice'];
    this.recentActors = new RecentActors(store);
    this.committer = new GroupCommitter((owner, slot, ops) => this.commitGroup(owner, slot, ops), {
      slots: MEMBERSHIP_SLOTS,
      concurrency: Math.min(COMMITS_IN_FLIGHT, store.commitConcurrency),
      maxGroup: MAX_GROUP,
      memberWide: settings.listOrder === 'newest',
    });
  }

  /**
   * Adds or removes a member; resolves once stored. A join with a notice counts the member in the recipient's
   * notification group in the same commit; a leave takes them out of the one they were counted in. Rejects with the
   * settings' `ownerMissing` error.
   */
  change(owner: string, member: string, join: boolean, notice?: Notice): Promise<MembershipChange> {
    return this.committer.submit(owner, { member, join, notice });
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
    // The recipients' read markers too (a join after one starts a new group): read outside the transaction for the
    // same reason; a join racing the read lands in the group just read, which shows as unread again.
    const recipients = [...new Set(ops.flatMap((op) => (op.join && op.notice ? [op.notice.recipient] : [])))];
    const [ownerEntity, ...read] = await this.store.get<{ updatedAt: Date }>([
      this.settings.ownerKey(owner),
      ...recipients.map(readMarkerKey),
    ]);
    if (!ownerEntity) {
      throw this.settings.ownerMissing(owner);
    }
    const epochs = new Map(recipients.map((id, i) => [id, read[i]?.data.updatedAt.getTime() ?? 0]));
    const changed = await this.applyWithRetries(owner, slot, ops, epochs);
    const count = (await this.reader.counts([owner])).get(owner) ?? 0;
    return ops.map((op, i) => ({ member: op.join, changed: changed[i], count }));
  }

  private async applyWithRetries(
    owner: string,
    slot: number,
    ops: readonly MembershipOp[],
    epochs: ReadonlyMap<string, number>,
  ): Promise<boolean[]> {
    for (let race = 1; ; race++) {
      try {
        return await this.store.runInTransaction((tx) => this.applyGroup(tx, owner, slot, ops, epochs));
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

  private async applyGroup(
    tx: Transaction,
    owner: string,
    slot: number,
    ops: readonly MembershipOp[],
    epochs: ReadonlyMap<string, number>,
  ) {
    const members = this.settings.listOrder === 'newest' ? memberCounter(this.settings) : undefined;
    const memberKeys = members ? ops.map((op) => members.randomKey(op.member)) : [];
    // Each told group's newest actors in every slot: outside the transaction (other slots' commits write them), at
    // the same time as its first read.
    const groups = new Map<string, string[]>();
    for (const op of ops) {
      if (op.join && op.notice) {
        const names = groupRowNames(op.notice, owner, epochs.get(op.notice.recipient) ?? 0, MEMBERSHIP_SLOTS);
        groups.set(names[slot], names);
      }
    }
    const [[counter, ...rest], others] = await Promise.all([
      tx.get([
        this.keys.counter.key(owner, slot),
        ...ops.map((op) => this.keys.marker(owner, op.member)),
        ...memberKeys,
      ]),
      this.recentActors.of(groups),
    ]);
    const reads = {
      counter: counter?.data as CounterData | undefined,
      markers: rest.slice(0, ops.length).map((entity) => entity?.data as MarkerData | undefined),
    };
    const memberShards = rest.slice(ops.length) as (Entity<{ size: number }> | undefined)[];
    const names = batchesToRead(owner, slot, ops, reads);
    const counted = [
      ...new Set([...groups.keys(), ...reads.markers.flatMap((marker) => (marker?.notice ? [marker.notice] : []))]),
    ];
    const [found, rowsFound] = await tx
      .get([...names.map((name) => this.keys.batch(name)), ...counted.map(rowKey)])
      .then((entities) => [entities.slice(0, names.length), entities.slice(names.length)]);
    const plan = planGroup({
      owner,
      slot,
      ops,
      reads,
      batches: new Map(names.map((name, i) => [name, found[i]?.data as BatchData | undefined])),
      batchCeiling: this.settings.batchCeiling,
      now: new Date(),
    });
    if (!plan.counter) {
      return plan.changed;
    }
    const notices = planNotices({
      owner,
      slot,
      ops: ops.map((op, i) => ({ ...op, changed: plan.changed[i], counted: reads.markers[i]?.notice ?? undefined })),
      epochs,
      rows: new Map(counted.map((name, i) => [name, rowsFound[i]?.data as NotificationData | undefined])),
      others,
      now: new Date(),
    });
    tx.insert(
      plan.markersToInsert.map((data) => ({
        key: this.keys.marker(owner, data.member),
        data: { ...data, notice: notices.counted.get(data.member) ?? null },
        excludeFromIndexes: this.markerUnindexed,
      })),
    );
    tx.delete([
      ...plan.markersToDelete.map((member) => this.keys.marker(owner, member)),
      ...notices.deletes.map(rowKey),
    ]);
    tx.upsert([
      ...[...notices.upserts].map(([name, data]) => ({
        key: rowKey(name),
        data,
        excludeFromIndexes: notificationUnindexed(data),
      })),
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
