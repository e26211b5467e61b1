import type { Entity, Key } from '../store/store.types.js';

/**
 * Notifications of a recipient, one kind, listed by one index (recipient, updatedAt desc). A grouped item (likes of
 * a post, likes of a comment, new followers) is up to one row per slot of its target's membership group commits, so
 * a hot post never writes one entity from two commits at once; the rest are one row per event. The recipient's read
 * marker is a row of the same kind whose `updatedAt` is when they last read: what comes before it in the index is
 * unread, so the unread count is one keys-only query.
 */
export const NOTIFICATION_KIND = 'Notification';

export type GroupedType = 'like' | 'comment_like' | 'follow';
export type SingleType = 'comment' | 'reply' | 'mention' | 'follow_request' | 'follow_accepted';
export type NotificationType = GroupedType | SingleType;

/** Actors a grouped row remembers (newest first): enough to show three after some have left. */
export const ACTORS_KEPT = 10;

export type NotificationData = {
  recipient: string;
  /** When the item last gained an actor (for the read marker: what was updated before it is read). */
  updatedAt: Date;
  type: NotificationType | 'read';
  createdAt: Date;
  /** Actors this row counts: a grouped row's share of its group; 1 for a single event. */
  count: number;
  /** JSON `[{id, at}]`, newest first, at most ACTORS_KEPT. */
  actors: string;
  /** The one actor of a single event (indexed, so a block removes what the blocked did); null on grouped rows. */
  actor: string | null;
  post: string | null;
  comment: string | null;
  /** The top-level comment of the comment it is about: deleting a comment removes what its thread caused. */
  thread: string | null;
  /** The author of the post it is about: whether the recipient may still see it is checked when shown. */
  postAuthor: string | null;
};

/** Never filtered or ordered on. */
const UNINDEXED = ['type', 'createdAt', 'count', 'actors', 'postAuthor'] as const;
/** Filtered on when set (a block's or a clean-up's delete); left out of the indexes when null, to write less. */
const WHEN_SET = ['actor', 'post', 'comment', 'thread'] as const;

/** The properties a row keeps out of its indexes. */
export function notificationUnindexed(data: NotificationData): string[] {
  return [...UNINDEXED, ...WHEN_SET.filter((property) => data[property] === null)];
}

/** The length of the recipient comes first: ids may contain ':'. */
export function notificationKey(recipient: string, item: string): Key {
  return { kind: NOTIFICATION_KIND, name: `${recipient.length}:${recipient}:${item}` };
}

export function readMarkerKey(recipient: string): Key {
  return notificationKey(recipient, 'read');
}

/** The item a key names (what follows the recipient). */
export function itemOf(key: Key): string {
  const colon = key.name.indexOf(':');
  const length = Number(key.name.slice(0, colon));
  return key.name.slice(colon + 2 + length);
}

/**
 * A group: one type about one target, started after the recipient's read marker at `epoch` (ms): a like after the
 * item was read starts a new group. The slot's row of it is `${group}#${slot}`.
 */
export function groupId(type: GroupedType, target: string, epoch: number): string {
  return `g:${type}:${epoch}:${target}`;
}

export function groupRowItem(group: string, slot: number): string {
  return `${group}#${slot}`;
}

/** The group a row item belongs to; undefined for a single event or the read marker. */
export function groupOfItem(item: string): string | undefined {
  return item.startsWith('g:') ? item.slice(0, item.lastIndexOf('#')) : undefined;
}

/** Items of single events: one per (recipient, event), so a retry rewrites the same row. */
export const singleItem = {
  comment: (commentId: string) => `c:${commentId}`,
  caption: (postId: string) => `p:${postId}`,
  followRequest: (requester: string) => `fr:${requester}`,
  followAccepted: (accepter: string) => `fa:${accepter}`,
};

export interface ActorAt {
  readonly id: string;
  readonly at: number;
}

export function parseActors(json: string): ActorAt[] {
  return JSON.parse(json) as ActorAt[];
}

/** One event told to one recipient. */
export interface SingleNotice {
  readonly recipient: string;
  readonly type: SingleType;
  readonly item: string;
  readonly actor: string;
  readonly at: Date;
  readonly post?: string;
  readonly comment?: string;
  readonly thread?: string;
  readonly postAuthor?: string;
}

/** The row of a single event; its time is the event's, so writing it again changes nothing. */
export function singleNotification(notice: SingleNotice): Entity {
  const data: NotificationData = {
    recipient: notice.recipient,
    updatedAt: notice.at,
    type: notice.type,
    createdAt: notice.at,
    count: 1,
    actors: JSON.stringify([{ id: notice.actor, at: notice.at.getTime() }]),
    actor: notice.actor,
    post: notice.post ?? null,
    comment: notice.comment ?? null,
    thread: notice.thread ?? null,
    postAuthor: notice.postAuthor ?? null,
  };
  return { key: notificationKey(notice.recipient, notice.item), data, excludeFromIndexes: notificationUnindexed(data) };
}
