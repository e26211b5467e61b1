import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { BlobStore } from '../blobs/blob-store.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { NO_RELATION, Relations } from '../relations/relations.js';
import { Lookups } from '../store/lookup-plan.js';
import type { UserSummaryDto } from '../users/dto/user.dto.js';
import { toSummary } from '../users/user.presenter.js';
import type { LimitQuery } from '../common/dto/page-query.dto.js';

/** Whose follows are looked at: the people I followed last. */
const FOLLOWEES_READ = 20;
/** Of each of them, their latest follows. */
const FOLLOWS_READ_EACH = 20;
const POPULAR_READ = 50;

@Injectable()
export class SuggestionsService {
  constructor(
    private readonly follows: FollowsRepository,
    private readonly users: UsersRepository,
    private readonly relations: Relations,
    private readonly lookups: Lookups,
    private readonly blobs: BlobStore,
  ) {}

  /**
   * People to follow: those followed by the most of the people I follow last, then the most followed accounts; never
   * me, anyone I follow or asked to, blocked either way, or suspended. Three round trips, each bounded: my follows
   * (with the popular accounts), theirs (queries at once), then who they are and how I stand with them.
   */
  async suggest(caller: AuthenticatedUser, query: LimitQuery): Promise<{ items: UserSummaryDto[] }> {
    const [mine, popular] = await Promise.all([
      this.follows.followedBy(caller.id, FOLLOWEES_READ),
      this.users.popular(POPULAR_READ),
    ]);
    const theirs = await Promise.all(mine.ids.map((id) => this.follows.followedBy(id, FOLLOWS_READ_EACH)));
    const votes = new Map<string, number>();
    for (const id of theirs.flatMap((page) => page.ids)) {
      votes.set(id, (votes.get(id) ?? 0) + 1);
    }
    const tiers = new Map(popular.map((user) => [user.id, user.tier]));
    const candidates = [...new Set([...votes.keys(), ...popular.map((user) => user.id)])].filter(
      (id) => id !== caller.id,
    );
    const [records, relations] = await this.lookups.run([
      this.users.recordsLookup(candidates),
      this.relations.lookup(caller.id, candidates),
    ]);
    const suggested = candidates.filter((id) => {
      const user = records.get(id);
      const relation = relations.get(id) ?? NO_RELATION;
      return (
        user !== undefined &&
        !user.suspended &&
        !relation.followedByMe &&
        !relation.requestedByMe &&
        !relation.blockedByMe &&
        !relation.blocksMe
      );
    });
    suggested.sort(
      (a, b) =>
        (votes.get(b) ?? 0) - (votes.get(a) ?? 0) || (tiers.get(b) ?? 0) - (tiers.get(a) ?? 0) || (a < b ? -1 : 1),
    );
    return { items: suggested.slice(0, query.limit).map((id) => toSummary(records.get(id)!, this.blobs)) };
  }
}
