import {
  ACTORS_KEPT,
  type ActorAt,
  type GroupedType,
  groupId,
  groupRowItem,
  NOTIFICATION_KIND,
  type NotificationData,
  notificationKey,
  parseActors,
} from '../keys/notification.keys.js';
import type { Store } from '../store/store.js';
import type { Key } from '../store/store.types.js';

/** Who a join tells, and what about: the owner of the set is the target (the liked post, the followed user). */
export interface Notice {
  readonly recipient: string;
  readonly type: GroupedType;
  readonly post?: string;
  readonly comment?: string;
  readonly thread?: string;
  readonly postAuthor?: string;
}

/** One change of a group commit as the notices see it: the member, whether it joins, and what its marker says. */
export interface NoticeOp {
  readonly member: string;
  readonly join: boolean;
  readonly notice?: Notice;
  readonly changed: boolean;
  /** The notification row the member's marker counted them in, when they leave. */
  readonly counted?: string;
}

export interface NoticeInput {
  readonly owner: string;
  readonly slot: number;
  readonly ops: readonly NoticeOp[];
  /** When each recipient last read (ms since the epoch; 0 if never): a join after it starts a new group. */
  readonly epochs: ReadonlyMap<string, number>;
  /** The rows this commit may change, read in its transaction (absent ones undefined), by key name. */
  readonly rows: ReadonlyMap<string, NotificationData | undefined>;
  /** The newest actors of each joined group's other slots, read outside the transaction. */
  readonly others: ReadonlyMap<string, readonly ActorAt[]>;
  readonly now: Date;
}

export interface NoticePlan {
  readonly upserts: Map<string, NotificationData>;
  readonly deletes: string[];
  /** For each joining member told: the row they count in, for their marker. */
  readonly counted: Map<string, string>;
}

export function noticeRowName(notice: Notice, owner: string, slot: number, epoch: number): string {
  return notificationKey(notice.recipient, groupRowItem(groupId(notice.type, owner, epoch), slot)).name;
}

export function rowKey(name: string): Key {
  return { kind: NOTIFICATION_KIND, name };
}

/** The rows of one group in every slot, to read the newest actors of the others from. */
export function groupRowNames(notice: Notice, owner: string, epoch: number, slots: number): string[] {
  return Array.from({ length: slots }, (_, slot) => noticeRowName(notice, owner, slot, epoch));
}

/** How long a commit trusts the newest actors it read of a group: a hot group reads them about once a second. */
const RECENT_TTL_MS = 1_000;
const RECENT_KEPT = 10_000;

/**
 * The newest actors of groups across all their slots, read outside the transaction and kept a second, so a hot
 * post's commits do not each read seven more rows: what they keep is a display hint (the list checks every actor it
 * shows), never a count.
 */
export class RecentActors {
  private readonly known = new Map<string, { until: number; actors: ActorAt[] }>();

  constructor(private readonly store: Store) {}

  /** For each group (its row in this commit's slot -> its rows in every slot), its newest actors. */
  async of(groups: ReadonlyMap<string, readonly string[]>): Promise<Map<string, ActorAt[]>> {
    const now = Date.now();
    const stale = [...groups.values()].filter((names) => !((this.known.get(names[0])?.until ?? 0) > now));
    if (stale.length > 0) {
      const rows = await this.store.get<NotificationData>(stale.flat().map(rowKey));
      if (this.known.size + stale.length > RECENT_KEPT) {
        this.known.clear();
      }
      stale.forEach((names, g) => {
        const found = rows.slice(g * names.length, (g + 1) * names.length);
        const actors = newest(found.flatMap((row) => (row ? parseActors(row.data.actors) : [])));
        this.known.set(names[0], { until: now + RECENT_TTL_MS, actors });
      });
    }
    return new Map([...groups].map(([own, names]) => [own, this.known.get(names[0])?.actors ?? []]));
  }
}

/**
 * The notification rows one group commit writes, as a pure function of what it read: a join counts the member in
 * its slot's row of the recipient's current group (+1, newest actor first, keeping the group's newest actors known
 * from the other slots); a leave takes them out of the row their marker names. A row at 0 is deleted: an empty
 * group disappears. Repeats change nothing.
 */
export function planNotices(input: NoticeInput): NoticePlan {
  const { owner, slot, now } = input;
  const rows = new Map<string, NotificationData>();
  const gone = new Set<string>();
  const counted = new Map<string, string>();
  const row = (name: string): NotificationData | undefined => {
    if (!rows.has(name)) {
      const stored = input.rows.get(name);
      if (!stored) {
        return undefined;
      }
      rows.set(name, { ...stored });
    }
    return rows.get(name);
  };
  for (const op of input.ops) {
    if (!op.changed) {
      continue;
    }
    if (op.join && op.notice) {
      const epoch = input.epochs.get(op.notice.recipient) ?? 0;
      const name = noticeRowName(op.notice, owner, slot, epoch);
      const current = row(name) ?? newRow(op.notice, now);
      const others = input.others.get(name) ?? [];
      current.count += 1;
      current.updatedAt = now;
      current.actors = JSON.stringify(
        newest([{ id: op.member, at: now.getTime() }, ...parseActors(current.actors), ...others]),
      );
      rows.set(name, current);
      gone.delete(name);
      counted.set(op.member, name);
    } else if (!op.join && op.counted) {
      const current = row(op.counted);
      if (current) {
        current.count -= 1;
        current.actors = JSON.stringify(parseActors(current.actors).filter((actor) => actor.id !== op.member));
        if (current.count <= 0) {
          gone.add(op.counted);
        }
      }
    }
  }
  for (const name of gone) {
    rows.delete(name);
  }
  return { upserts: rows, deletes: [...gone], counted };
}

function newRow(notice: Notice, now: Date): NotificationData {
  return {
    recipient: notice.recipient,
    updatedAt: now,
    type: notice.type,
    createdAt: now,
    count: 0,
    actors: '[]',
    actor: null,
    post: notice.post ?? null,
    comment: notice.comment ?? null,
    thread: notice.thread ?? null,
    postAuthor: notice.postAuthor ?? null,
  };
}

/** Each actor once (their newest time), newest first, at most ACTORS_KEPT. */
function newest(actors: readonly ActorAt[]): ActorAt[] {
  const seen = new Set<string>();
  return [...actors]
    .sort((a, b) => b.at - a.at)
    .filter((actor) => !seen.has(actor.id) && seen.add(actor.id))
    .slice(0, ACTORS_KEPT);
}
