import { Injectable } from '@nestjs/common';
import {
  type ActorAt,
  groupOfItem,
  groupRowItem,
  itemOf,
  NOTIFICATION_KIND,
  type NotificationData,
  type NotificationType,
  notificationKey,
  parseActors,
  readMarkerKey,
  type SingleNotice,
  singleNotification,
} from '../keys/notification.keys.js';
import { MEMBERSHIP_SLOTS } from '../membership/membership.settings.js';
import { deleteMatching } from '../store/delete-matching.js';
import type { LookupPart } from '../store/lookup-plan.js';
import { resumeCursor } from '../store/query-page.js';
import { Store } from '../store/store.js';
import type { Entity } from '../store/store.types.js';

/** One stored row: a single event, or one slot's share of a group. */
export interface NotificationRow {
  /** What the row is of the recipient's: unique per recipient. */
  readonly item: string;
  /** The group a grouped row is part of. */
  readonly group?: string;
  readonly type: NotificationType;
  readonly updatedAt: Date;
  readonly createdAt: Date;
  readonly count: number;
  readonly actors: ActorAt[];
  readonly post?: string;
  readonly comment?: string;
  readonly postAuthor?: string;
}

/** A whole group, summed over its slots' rows. */
export interface GroupState {
  readonly count: number;
  readonly createdAt: Date;
  /** The item of its most recently updated row: where the group shows in the list. */
  readonly newestItem: string;
}

/** Rows walked by the unread count: a count over it reads as "at least". */
const UNREAD_SCAN = 200;

/**
 * The notifications of each recipient: one query lists them newest first, the read marker sits among them, and a
 * group's slots are summed by key. Group rows are written by the membership engine's commits, single events by the
 * commits (or follow-ups) of what caused them.
 */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly store: Store) {}

  /** The recipient's rows, last updated first (the read marker left out). */
  async page(
    recipient: string,
    limit: number,
    cursor?: string,
  ): Promise<{ rows: NotificationRow[]; newest?: Date; cursor?: string }> {
    const result = await this.store.query<NotificationData>({
      kind: NOTIFICATION_KIND,
      filters: [{ property: 'recipient', op: '=', value: recipient }],
      orders: [{ property: 'updatedAt', direction: 'desc' }],
      limit,
      startCursor: cursor,
    });
    const rows = result.entities.flatMap((entity) => (entity.data.type === 'read' ? [] : [toRow(entity)]));
    return { rows, newest: rows[0]?.updatedAt, cursor: resumeCursor(result, limit) };
  }

  /** The read marker's time: what was updated before it is read (undefined: nothing is). */
  readLookup(recipient: string): LookupPart<Date | undefined> {
    return {
      keys: [readMarkerKey(recipient)],
      read: ([entity]) => (entity?.data as NotificationData | undefined)?.updatedAt,
    };
  }

  /** Every slot's row of each group: its exact count and its newest row. Groups with no row left are absent. */
  groupsLookup(recipient: string, groups: readonly string[]): LookupPart<Map<string, GroupState>> {
    const unique = [...new Set(groups)];
    const items = unique.flatMap((group) =>
      Array.from({ length: MEMBERSHIP_SLOTS }, (_, slot) => groupRowItem(group, slot)),
    );
    return {
      keys: items.map((item) => notificationKey(recipient, item)),
      read: (entities) => {
        const states = new Map<string, GroupState>();
        unique.forEach((group, g) => {
          const rows = entities
            .slice(g * MEMBERSHIP_SLOTS, (g + 1) * MEMBERSHIP_SLOTS)
            .flatMap((entity) => (entity ? [toRow(entity as Entity<NotificationData>)] : []));
          if (rows.length === 0) {
            return;
          }
          // The list's own order: last updated first, then by key.
          const newest = [...rows].sort(
            (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.item < b.item ? -1 : 1),
          )[0];
          states.set(group, {
            count: rows.reduce((total, row) => total + row.count, 0),
            createdAt: new Date(Math.min(...rows.map((row) => row.createdAt.getTime()))),
            newestItem: newest.item,
          });
        });
        return states;
      },
    };
  }

  /**
   * Unread items: the rows listed before the read marker, a group once. One keys-only query. `more` when there may
   * be more than `count`.
   */
  async unreadCount(recipient: string): Promise<{ count: number; more: boolean }> {
    const result = await this.store.query({
      kind: NOTIFICATION_KIND,
      filters: [{ property: 'recipient', op: '=', value: recipient }],
      orders: [{ property: 'updatedAt', direction: 'desc' }],
      limit: UNREAD_SCAN,
      keysOnly: true,
    });
    const items = new Set<string>();
    for (const entity of result.entities) {
      const item = itemOf(entity.key);
      if (item === 'read') {
        return { count: items.size, more: false };
      }
      items.add(groupOfItem(item) ?? item);
    }
    return { count: items.size, more: result.entities.length === UNREAD_SCAN && result.moreResults };
  }

  /**
   * Marks everything up to `until` read; never moves the marker back. The marker sits 1 ms after it: an item updated
   * at `until` itself is listed before it (a tie sorts by key, and every item's sorts before 'read') and read.
   */
  markRead(recipient: string, until: Date): Promise<void> {
    const key = readMarkerKey(recipient);
    const at = new Date(until.getTime() + 1);
    return this.store.runInTransaction(async (tx) => {
      const [found] = await tx.get<NotificationData>([key]);
      if (found && found.data.updatedAt.getTime() >= at.getTime()) {
        return;
      }
      const data = { recipient, updatedAt: at, type: 'read' };
      tx.upsert([{ key, data, excludeFromIndexes: ['type'] }]);
    });
  }

  /** Tells single events; a repeat rewrites the same rows. */
  addSingles(notices: readonly SingleNotice[]): Promise<void> {
    return this.store.upsert(notices.map(singleNotification));
  }

  removeItems(rows: readonly { recipient: string; item: string }[]): Promise<void> {
    return this.store.delete(rows.map(({ recipient, item }) => notificationKey(recipient, item)));
  }

  /**
   * Everything about a deleted post, about a deleted comment, or caused in a deleted comment's thread (a clean-up's
   * step; safe to repeat).
   */
  removeAbout(property: 'post' | 'comment' | 'thread', id: string): Promise<void> {
    return deleteMatching(this.store, { kind: NOTIFICATION_KIND, filters: [{ property, op: '=', value: id }] });
  }

  /** The single events `actor` caused `recipient` (a block's clean-up). */
  removeFrom(actor: string, recipient: string): Promise<void> {
    return deleteMatching(this.store, {
      kind: NOTIFICATION_KIND,
      filters: [
        { property: 'recipient', op: '=', value: recipient },
        { property: 'actor', op: '=', value: actor },
      ],
    });
  }
}

function toRow(entity: Entity<NotificationData>): NotificationRow {
  const { data } = entity;
  const item = itemOf(entity.key);
  return {
    item,
    group: groupOfItem(item),
    type: data.type as NotificationType,
    updatedAt: data.updatedAt,
    createdAt: data.createdAt,
    count: data.count,
    actors: parseActors(data.actors),
    post: data.post ?? undefined,
    comment: data.comment ?? undefined,
    postAuthor: data.postAuthor ?? undefined,
  };
}
