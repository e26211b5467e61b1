import type { Key } from '../store/store.types.js';

/** The kinds one membership relation (followers of a user, likers of a post) is stored under. */
export interface MembershipKinds {
  /** A batch of members: `{owner, members[], size, open}`, a few open per owner. */
  readonly batch: string;
  /** One per (owner, member): idempotency, "is member" by key, which batch to edit, and the member lists. */
  readonly marker: string;
  /** One small counter per (owner, slot): the owner's count is the sum of its shards. */
  readonly counter: string;
}

interface BaseSettings {
  readonly kinds: MembershipKinds;
  /** The entity that must exist for its set to change (the followed user, the liked post). */
  readonly ownerKey: (owner: string) => Key;
  /** What a change of an owner that does not exist (or no longer does) fails with. */
  readonly ownerMissing: (owner: string) => Error;
  /** Members per batch before it closes and the slot opens a new one. */
  readonly batchCeiling: number;
}

/**
 * Members listed by id from the built-in index: a marker costs a third of the index writes of a newest-first one
 * (what a hot post's likes need most). No reverse lookup.
 */
export interface StableSettings extends BaseSettings {
  readonly listOrder: 'stable';
}

/**
 * Members listed newest first, and the reverse too (the owners a member joined, with a per-member count kept in
 * `memberCounter` shards: a user's following count). Needs markers indexed by member and time (index.yaml).
 */
export interface NewestSettings extends BaseSettings {
  readonly listOrder: 'newest';
  readonly memberCounter: string;
}

export type MembershipSettings = StableSettings | NewestSettings;

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

/** Slots per owner: open batches and counter shards. A count read looks all of them up. */
export const MEMBERSHIP_SLOTS = 8;
/** Shards of a member's own count (`followingCount`). */
export const MEMBER_COUNTER_SHARDS = 4;
