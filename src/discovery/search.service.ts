import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { BlobStore } from '../blobs/blob-store.js';
import { matchesSearch, normalize, searchQuery } from '../common/search-text.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { TagsRepository } from '../repositories/tags.repository.js';
import { leastFollowers, type UserRecord, UsersRepository } from '../repositories/users.repository.js';
import { Relations } from '../relations/relations.js';
import { Lookups } from '../store/lookup-plan.js';
import type { UserSummaryDto } from '../users/dto/user.dto.js';
import { toSummary } from '../users/user.presenter.js';
import type { SearchQuery, TagListDto } from './dto/discovery.dto.js';
import { CandidateCache } from './search-candidates.js';

/**
 * Candidates a search reads past a page's size: room for people it must leave out (blocked, suspended) and for the
 * caller's follows to rise from further down.
 */
const CANDIDATE_MARGIN = 10;
/** Tags a tag search reads to order by exact count: as many as the largest page. */
const TAG_CANDIDATES = 50;
/** Candidates past a page's size whose followers are counted exactly. */
const COUNTED_MARGIN = 5;

@Injectable()
export class SearchService {
  private readonly candidates = new CandidateCache();

  constructor(
    private readonly users: UsersRepository,
    private readonly follows: FollowsRepository,
    private readonly tags: TagsRepository,
    private readonly relations: Relations,
    private readonly lookups: Lookups,
    private readonly blobs: BlobStore,
  ) {}

  /**
   * People whose username or a display-name word starts with the query (each word of it), in two round trips (one
   * when the same search ran in the last CANDIDATES_TTL_MS): the exact username first, then people the caller
   * follows, then by followers. Never someone suspended or blocked either way: records and blocks are read each time.
   */
  async searchUsers(caller: AuthenticatedUser, query: SearchQuery): Promise<{ items: UserSummaryDto[] }> {
    const words = searchQuery(query.q).split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      return { items: [] };
    }
    const exactName = query.q.trim().replace(/^@/, '').toLowerCase();
    const size = query.limit + CANDIDATE_MARGIN;
    const candidates = await this.candidates.get(`${size}:${words[0]}:${exactName}`, async () => {
      const [hits, exactId] = await Promise.all([
        this.users.search(words[0], size),
        /^[a-z0-9._]{1,30}$/.test(exactName) ? this.users.idOfUsername(exactName) : undefined,
      ]);
      return { hits, exactId };
    });
    const { hits, exactId } = candidates;
    const tiers = new Map(hits.map((hit) => [hit.id, hit.tier]));
    const ids = [...new Set([...(exactId ? [exactId] : []), ...hits.map((hit) => hit.id)])];
    // A tier is a power of two of followers (0 and 1 are exact): exact counts order a tier's first candidates, the
    // ones a page can hold, without reading eight counter shards for every candidate; they are kept with the term's
    // candidates once read. (The exact username needs none: it comes first.)
    const counted = hits
      .slice(0, query.limit + COUNTED_MARGIN)
      .filter((hit) => hit.tier >= 2)
      .map((hit) => hit.id);
    const [records, followed, blocked, read] = await this.lookups.run([
      this.users.recordsLookup(ids),
      this.follows.isFollowingLookup(caller.id, ids),
      this.relations.blocksLookup(caller.id, ids),
      this.follows.followerCountsLookup(candidates.counts ? [] : counted),
    ]);
    const counts = (candidates.counts ??= new Map(counted.map((id) => [id, read.get(id) ?? 0])));
    const isExact = (user: UserRecord) => user.id === exactId && user.username === exactName;
    const found = ids.flatMap((id, i) => {
      const user = records.get(id);
      if (!user || blocked.has(id) || (user.suspended && id !== caller.id)) {
        return [];
      }
      const matches = isExact(user) || matchesSearch(user.username, user.displayName, words);
      const followers = counts.get(id) ?? leastFollowers(tiers.get(id) ?? 0);
      return matches ? [{ user, followed: followed[i], followers }] : [];
    });
    found.sort(
      (a, b) =>
        Number(isExact(b.user)) - Number(isExact(a.user)) ||
        Number(b.followed) - Number(a.followed) ||
        b.followers - a.followers ||
        (a.user.username < b.user.username ? -1 : 1),
    );
    return { items: found.slice(0, query.limit).map(({ user }) => toSummary(user, this.blobs)) };
  }

  /** Tags starting with the query, most used first (exact counts), in two round trips; unused tags left out. */
  async searchTags(query: SearchQuery): Promise<TagListDto> {
    const prefix = normalize(query.q.trim().replace(/^#/, ''));
    if (prefix === '') {
      return { items: [] };
    }
    const hits = await this.tags.search(prefix, TAG_CANDIDATES);
    const [counts] = await this.lookups.run([this.tags.countsLookup(hits.map((hit) => hit.tag))]);
    const items = hits
      .map((hit) => ({ tag: hit.tag, postCount: counts.get(hit.tag) ?? 0 }))
      .filter((tag) => tag.postCount > 0)
      .sort((a, b) => b.postCount - a.postCount || (a.tag < b.tag ? -1 : 1));
    return { items: items.slice(0, query.limit) };
  }
}
