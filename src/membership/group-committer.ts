export interface GroupCommitterOptions {
  /** Slots of an owner (a batch and a counter shard each); each commit takes a free one. */
  readonly slots: number;
  /** Commits that may run at once for one owner in this process (at most `slots`); default `slots`. */
  readonly concurrency?: number;
  /** Most operations combined into one commit. */
  readonly maxGroup: number;
  /**
   * One commit in flight per member across all owners, not just per owner: for changes that also write a
   * per-member entity (a follower's following count), so one user following many at once never contends with
   * themself in this process.
   */
  readonly memberWide?: boolean;
}

/** Commits a group of operations of one owner on one slot; one result per operation, in order. */
export type CommitGroup<Op, R> = (owner: string, slot: number, ops: readonly Op[]) => Promise<R[]>;

interface Pending<Op, R> {
  readonly op: Op;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

interface OwnerQueue<Op, R> {
  pending: Pending<Op, R>[];
  readonly busySlots: Set<number>;
  readonly busyMembers: Set<string>;
}

/**
 * Combines the operations that arrive together for one owner (a hot post, a popular user) into one commit per
 * free slot, so throughput grows with concurrency instead of collapsing under contention. Slots in use grow with
 * the load: a quiet owner uses one batch, a hot one up to `slots`. An operation's promise settles only once its
 * commit did, so an answer always means stored. One member's operations never share or overlap a commit: they
 * run one after the other in arrival order.
 */
export class GroupCommitter<Op extends { readonly member: string; readonly alone?: boolean }, R> {
  private readonly owners = new Map<string, OwnerQueue<Op, R>>();
  private readonly sharedBusyMembers = new Set<string>();
  /** This process's slot preference: another instance starts elsewhere, so quiet owners rarely collide. */
  private readonly slotOrder: number[];

  constructor(
    private readonly commit: CommitGroup<Op, R>,
    private readonly options: GroupCommitterOptions,
  ) {
    const offset = Math.floor(Math.random() * options.slots);
    this.slotOrder = Array.from({ length: options.slots }, (_, i) => (i + offset) % options.slots);
  }

  submit(owner: string, op: Op): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let queue = this.owners.get(owner);
      if (!queue) {
        queue = {
          pending: [],
          busySlots: new Set(),
          busyMembers: this.options.memberWide ? this.sharedBusyMembers : new Set(),
        };
        this.owners.set(owner, queue);
      }
      queue.pending.push({ op, resolve, reject });
      this.pump(owner, queue);
    });
  }

  private pump(owner: string, queue: OwnerQueue<Op, R>): void {
    for (;;) {
      const slot =
        queue.busySlots.size < (this.options.concurrency ?? this.options.slots)
          ? this.slotOrder.find((candidate) => !queue.busySlots.has(candidate))
          : undefined;
      const group = slot === undefined ? [] : this.takeGroup(queue);
      if (slot === undefined || group.length === 0) {
        break;
      }
      queue.busySlots.add(slot);
      void this.run(owner, queue, slot, group);
    }
    if (queue.pending.length === 0 && queue.busySlots.size === 0) {
      this.owners.delete(owner);
    }
  }

  /**
   * The oldest pending operations whose members have nothing in flight, one per member. An operation marked `alone`
   * (one that writes more than a group's share) takes a commit of its own.
   */
  private takeGroup(queue: OwnerQueue<Op, R>): Pending<Op, R>[] {
    const group: Pending<Op, R>[] = [];
    const rest: Pending<Op, R>[] = [];
    // Closed by an operation that must go alone: the ones after it wait for it, in the order they came.
    let closed = false;
    for (const item of queue.pending) {
      closed ||= item.op.alone === true && group.length > 0;
      if (!closed && group.length < this.options.maxGroup && !queue.busyMembers.has(item.op.member)) {
        queue.busyMembers.add(item.op.member);
        group.push(item);
        closed = item.op.alone === true;
      } else {
        rest.push(item);
      }
    }
    queue.pending = rest;
    return group;
  }

  private async run(owner: string, queue: OwnerQueue<Op, R>, slot: number, group: Pending<Op, R>[]): Promise<void> {
    try {
      const results = await this.commit(
        owner,
        slot,
        group.map((item) => item.op),
      );
      group.forEach((item, i) => item.resolve(results[i]));
    } catch (error) {
      group.forEach((item) => item.reject(error));
    } finally {
      queue.busySlots.delete(slot);
      group.forEach((item) => queue.busyMembers.delete(item.op.member));
      this.pump(owner, queue);
      if (this.options.memberWide) {
        // Another owner may have been holding an operation back for one of these members.
        for (const [other, otherQueue] of [...this.owners]) {
          if (other !== owner && otherQueue.pending.length > 0) {
            this.pump(other, otherQueue);
          }
        }
      }
    }
  }
}
