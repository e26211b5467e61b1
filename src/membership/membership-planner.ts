import type { ShardData } from '../store/sharded-counter.js';
import type { Notice } from './membership-notices.js';

/** One change asked of an owner's set, and who a join tells. */
export interface MembershipOp {
  readonly member: string;
  readonly join: boolean;
  readonly notice?: Notice;
}

export type BatchData = { owner: string; members: string[]; size: number; open: boolean; createdAt: Date };

/** `notice`: the notification row the member is counted in, to take them out of when they leave. */
export type MarkerData = { owner: string; member: string; batch: string; createdAt: Date; notice?: string | null };

/** A slot's counter shard, which also remembers the generation of the slot's open batch. */
export interface CounterData extends ShardData {
  owner: string;
  generation: number;
}

/** What a group commit reads first: its slot's counter, and each operation's marker (in the order of the ops). */
export interface GroupReads {
  readonly counter?: CounterData;
  readonly markers: readonly (MarkerData | undefined)[];
}

export interface GroupInput {
  readonly owner: string;
  readonly slot: number;
  readonly ops: readonly MembershipOp[];
  readonly reads: GroupReads;
  /** The batches `batchesToRead` named, as stored (absent ones undefined). */
  readonly batches: ReadonlyMap<string, BatchData | undefined>;
  readonly batchCeiling: number;
  readonly now: Date;
}

/** What one group commit writes. Nothing at all when no operation changes anything (all repeats). */
export interface GroupPlan {
  /** Per operation: whether it changes the set. */
  readonly changed: boolean[];
  /** Per operation: how the member's own count moves (+1, -1 or 0). */
  readonly memberDeltas: number[];
  readonly markersToInsert: MarkerData[];
  readonly markersToDelete: string[];
  /** Every batch that changed, with its whole new content. */
  readonly batches: Map<string, BatchData>;
  /** The slot's counter shard as it must be stored, when anything changed. */
  readonly counter?: CounterData;
}

export function batchName(owner: string, slot: number, generation: number): string {
  return `${owner}:${slot}:${generation}`;
}

/** The batches a group needs: its slot's open one, and those its leaving members are in. */
export function batchesToRead(owner: string, slot: number, ops: readonly MembershipOp[], reads: GroupReads): string[] {
  const open = batchName(owner, slot, reads.counter?.generation ?? 0);
  const leaving = ops.flatMap((op, i) => (op.join ? [] : (reads.markers[i]?.batch ?? [])));
  return [...new Set([open, ...leaving])];
}

/**
 * The writes of one group commit, as a pure function of what it read: a join adds the member to the slot's open
 * batch (closing it at the ceiling and opening the next generation), a leave takes them out of the batch their
 * marker names; a repeat changes nothing. The counter shard moves by the net change.
 */
export function planGroup(input: GroupInput): GroupPlan {
  const { owner, slot, ops, reads, batchCeiling, now } = input;
  const batches = new Map<string, BatchData>();
  for (const [name, data] of input.batches) {
    if (data) {
      batches.set(name, { ...data, members: [...data.members] });
    }
  }
  const touched = new Set<string>();
  const open = { generation: reads.counter?.generation ?? 0 };
  const plan: GroupPlan = {
    changed: [],
    memberDeltas: [],
    markersToInsert: [],
    markersToDelete: [],
    batches: new Map(),
  };

  const join = (member: string): void => {
    const current = batches.get(batchName(owner, slot, open.generation));
    const full = current !== undefined && current.size >= batchCeiling;
    if (full) {
      current.open = false;
      touched.add(batchName(owner, slot, open.generation));
      open.generation += 1;
    }
    const name = batchName(owner, slot, open.generation);
    const batch = (!full && current) || { owner, members: [], size: 0, open: true, createdAt: now };
    batch.members.push(member);
    batch.size = batch.members.length;
    batches.set(name, batch);
    touched.add(name);
    plan.markersToInsert.push({ owner, member, batch: name, createdAt: now });
  };

  const leave = (marker: MarkerData): void => {
    const batch = batches.get(marker.batch);
    if (batch) {
      batch.members = batch.members.filter((member) => member !== marker.member);
      batch.size = batch.members.length;
      touched.add(marker.batch);
    }
    plan.markersToDelete.push(marker.member);
  };

  ops.forEach((op, i) => {
    const marker = reads.markers[i];
    const changes = op.join !== (marker !== undefined);
    plan.changed.push(changes);
    plan.memberDeltas.push(changes ? (op.join ? 1 : -1) : 0);
    if (changes) {
      if (marker) {
        leave(marker);
      } else {
        join(op.member);
      }
    }
  });

  const delta = plan.memberDeltas.reduce((total, change) => total + change, 0);
  if (!plan.changed.includes(true)) {
    return plan;
  }
  for (const name of touched) {
    const batch = batches.get(name);
    if (batch) {
      plan.batches.set(name, batch);
    }
  }
  return {
    ...plan,
    counter: { owner, size: (reads.counter?.size ?? 0) + delta, generation: open.generation },
  };
}
