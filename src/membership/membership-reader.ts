import { lookupAll, type LookupPart } from '../store/lookup-plan.js';
import { resumeCursor } from '../store/query-page.js';
import { Store } from '../store/store.js';
import { KEY_PROPERTY } from '../store/store.types.js';
import type { BatchData, MarkerData } from './membership-planner.js';
import { MembershipKeys, memberCounter } from './membership.keys.js';
import type { MemberBatch, MemberPage, MembershipSettings, NewestSettings } from './membership.settings.js';

/** A full batch is up to ~650 KB: a few per response keep each one a few MB. */
const BATCHES_PER_PAGE = 5;

/** The read side of a membership relation: member lists, counts and "is member", all by key or bounded query. */
export class MembershipReader<S extends MembershipSettings = MembershipSettings> {
  constructor(
    private readonly store: Store,
    private readonly settings: S,
    private readonly keys: MembershipKeys,
  ) {}

  /** Members, newest first or in a stable order (see `listOrder`). */
  members(owner: string, limit: number, cursor?: string): Promise<MemberPage> {
    return this.page('owner', owner, 'member', limit, cursor);
  }

  /** Owners a member joined, newest first: only a relation listed newest first has the index for it. */
  memberships(this: MembershipReader<NewestSettings>, member: string, limit: number, cursor?: string) {
    return this.page('member', member, 'owner', limit, cursor);
  }

  /** Counts of many owners from their counter shards, in one lookup. */
  countsLookup(owners: readonly string[]): LookupPart<Map<string, number>> {
    return this.keys.counter.countsLookup(owners);
  }

  /** How many owners each member joined (`followingCount`). */
  memberCountsLookup(this: MembershipReader<NewestSettings>, members: readonly string[]) {
    return memberCounter(this.settings).countsLookup(members);
  }

  /** Whether each (owner, member) pair is in its set, by marker key. */
  isMemberLookup(pairs: readonly { owner: string; member: string }[]): LookupPart<boolean[]> {
    return {
      keys: pairs.map(({ owner, member }) => this.keys.marker(owner, member)),
      read: (entities) => entities.map(Boolean),
    };
  }

  /** The notification row each (owner, member) pair is counted in; undefined when not a member or not counted. */
  noticeLookup(pairs: readonly { owner: string; member: string }[]): LookupPart<(string | undefined)[]> {
    return {
      keys: pairs.map(({ owner, member }) => this.keys.marker(owner, member)),
      read: (entities) => entities.map((entity) => (entity?.data as MarkerData | undefined)?.notice ?? undefined),
    };
  }

  async counts(owners: readonly string[]): Promise<Map<string, number>> {
    const [counts] = await lookupAll(this.store, [this.countsLookup(owners)]);
    return counts;
  }

  /** One page of an owner's non-empty batches (a step of a post's fan-out), and where the next page starts. */
  async batchesPage(owner: string, cursor?: string): Promise<{ batches: MemberBatch[]; cursor?: string }> {
    const result = await this.store.query<BatchData>({
      kind: this.settings.kinds.batch,
      filters: [{ property: 'owner', op: '=', value: owner }],
      limit: BATCHES_PER_PAGE,
      startCursor: cursor,
    });
    const batches = result.entities.flatMap(({ key, data }) =>
      data.members.length > 0 ? [{ name: key.name, owner, members: data.members }] : [],
    );
    return { batches, cursor: resumeCursor(result, BATCHES_PER_PAGE) };
  }

  /** Every non-empty batch of an owner (what a post fans out to). */
  async batches(owner: string): Promise<MemberBatch[]> {
    const batches: MemberBatch[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.batchesPage(owner, cursor);
      batches.push(...page.batches);
      cursor = page.cursor;
    } while (cursor !== undefined);
    return batches;
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
    return { ids: result.entities.map((entity) => entity.data[other]), cursor: resumeCursor(result, limit) };
  }
}
