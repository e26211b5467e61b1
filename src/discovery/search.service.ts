import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { BlobStore } from '../blobs/blob-store.js';
import { normalize, searchQuery, userSearchTerms } from '../common/search-text.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { TagsRepository } from '../repositories/tags.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { isVisible, NO_RELATION, Relations } from '../relations/relations.js';
import { Lookups } from '../store/lookup-plan.js';
import type { UserSummaryDto } from '../users/dto/user.dto.js';
import { toSummary } from '../users/user.presenter.js';
import type { SearchQuery, TagListDto } from './dto/discovery.dto.js';

/** Candidates a search reads to order: the most followed by tier, among which the caller's follows rise. */
const CANDIDATES = 50;

@Injectable()
export class SearchService {
  constructor(
    private readonly users: UsersRepository,
    private readonly follows: FollowsRepository,
    private readonly tags: TagsRepository,
    private readonly relations: Relations,
    private readonly lookups: Lookups,
    private readonly blobs: BlobStore,
  ) {}

  /**
   * People whose username or a display-name word starts with the query (each word of it), in two round trips: the
   * exact username first, then people the caller follows, then by followers. Never someone suspended or blocked
   * either way.
   */
  async searchUsers(caller: AuthenticatedUser, query: SearchQuery): Promise<{ items: UserSummaryDto[] }> {
    const words = searchQuery(query.q).split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      return { items: [] };
    }
    const exactName = query.q.trim().replace(/^@/, '').toLowerCase();
    const [hits, exactId] = await Promise.all([
      this.users.search(words[0], CANDIDATES),
      /^[a-z0-9._]{1,30}$/.test(exactName) ? this.users.idOfUsername(exactName) : undefined,
    ]);
    const ids = [...new Set([...(exactId ? [exactId] : []), ...hits])];
    const [records, relations, counts] = await this.lookups.run([
      this.users.recordsLookup(ids),
      this.relations.lookup(caller.id, ids),
      this.follows.countsLookup(ids),
    ]);
    const viewer = { id: caller.id };
    const found = ids.flatMap((id) => {
      const user = records.get(id);
      const relation = relations.get(id) ?? NO_RELATION;
      if (!user || !isVisible(viewer, user, relation) || relation.blockedByMe) {
        return [];
      }
      const terms = new Set(userSearchTerms(user.username, user.displayName));
      const matches = id === exactId || words.every((word) => terms.has(word));
      return matches ? [{ user, followed: relation.followedByMe, followers: counts.get(id)?.followerCount ?? 0 }] : [];
    });
    found.sort(
      (a, b) =>
        Number(b.user.id === exactId) - Number(a.user.id === exactId) ||
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
    const hits = await this.tags.search(prefix, CANDIDATES);
    const [counts] = await this.lookups.run([this.tags.countsLookup(hits.map((hit) => hit.tag))]);
    const items = hits
      .map((hit) => ({ tag: hit.tag, postCount: counts.get(hit.tag) ?? 0 }))
      .filter((tag) => tag.postCount > 0)
      .sort((a, b) => b.postCount - a.postCount || (a.tag < b.tag ? -1 : 1));
    return { items: items.slice(0, query.limit) };
  }
}
