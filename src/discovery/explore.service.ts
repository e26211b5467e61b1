import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import type { PostPageDto } from '../posts/dto/post.dto.js';
import { PostViews } from '../posts/post-views.js';
import { ExploreRepository, type Ranking } from '../repositories/explore.repository.js';
import { LikesRepository } from '../repositories/likes.repository.js';
import { type PostRecord, PostsRepository } from '../repositories/posts.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { NO_RELATION, Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import { Lookups } from '../store/lookup-plan.js';
import { CronJobs } from '../tasks/cron-jobs.js';

/** What the ranking looks at: the posts of the last day, newest first, a bounded number of them. */
const RANKED_WINDOW_MS = 24 * 60 * 60_000;
const RANK_SCAN = 1000;
const RANKED_KEPT = 300;
const RANK_EVERY_MS = 10 * 60_000;
const FIRST_RANK_AFTER_MS = 5_000;

/** Where a page of explore starts: in the ranking of one generation, or in the recent posts after it. */
type ExploreCursor = { g: number; o: number } | { g: number; r: string };

@Injectable()
export class ExploreService implements OnApplicationBootstrap {
  constructor(
    private readonly explore: ExploreRepository,
    private readonly posts: PostsRepository,
    private readonly likes: LikesRepository,
    private readonly users: UsersRepository,
    private readonly views: PostViews,
    private readonly relations: Relations,
    private readonly lookups: Lookups,
    private readonly cursors: PageCursors,
    private readonly cron: CronJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.cron.schedule('rank-explore', () => this.rank(), {
      firstAfterMs: FIRST_RANK_AFTER_MS,
      everyMs: RANK_EVERY_MS,
    });
  }

  /**
   * Ranks the last day's posts of public, unsuspended accounts by likes (a scheduled job): a new generation each
   * run, so pages read from one keep their order.
   */
  async rank(now = new Date()): Promise<Ranking> {
    const since = now.getTime() - RANKED_WINDOW_MS;
    const { posts } = await this.posts.recent(RANK_SCAN);
    const recent = posts.filter((post) => post.createdAt.getTime() >= since);
    const [likeCounts, authors] = await this.lookups.run([
      this.likes.countsLookup(recent.map((post) => post.id)),
      this.users.recordsLookup(recent.map((post) => post.author)),
    ]);
    const ranked = recent
      .filter((post) => {
        const author = authors.get(post.author);
        return author && !author.private && !author.suspended && (likeCounts.get(post.id) ?? 0) > 0;
      })
      .sort((a, b) => (likeCounts.get(b.id) ?? 0) - (likeCounts.get(a.id) ?? 0))
      .slice(0, RANKED_KEPT);
    return this.explore.save({
      generation: now.getTime(),
      posts: ranked.map((post) => ({ id: post.id, author: post.author })),
    });
  }

  /**
   * Posts to discover, in two round trips: the day's most liked (as ranked), then recent ones, each once; never the
   * caller's own, of people they follow, blocked either way, muted, private or suspended. A page may hold fewer than
   * `limit` posts; walk on while `nextCursor` is not null.
   */
  async getExplore(caller: AuthenticatedUser, page: PageQuery): Promise<PostPageDto> {
    const list = `explore/${caller.id}`;
    const from = this.cursors.decode(page.cursor, list);
    const at = from?.store === undefined ? undefined : parseCursor(from.store);
    const ranking = at === undefined ? await this.explore.current() : await this.explore.generation(at.g);
    // Nothing ranked (a quiet day): straight to the recent posts.
    const start = at ?? (ranking.posts.length > 0 ? { g: ranking.generation, o: 0 } : { g: ranking.generation, r: '' });
    let candidates: { id: string; author: string }[];
    let next: ExploreCursor | undefined;
    let recent: PostRecord[] | undefined;
    if ('o' in start) {
      const offset = start.o;
      candidates = ranking.posts.slice(offset, offset + page.limit);
      const end = offset + candidates.length;
      next = end < ranking.posts.length ? { g: ranking.generation, o: end } : { g: ranking.generation, r: '' };
    } else {
      const result = await this.posts.recent(page.limit, start.r === '' ? undefined : start.r);
      const ranked = new Set(ranking.posts.map((post) => post.id));
      recent = result.posts.filter((post) => !ranked.has(post.id));
      candidates = recent;
      next = result.cursor === undefined ? undefined : { g: ranking.generation, r: result.cursor };
    }
    const authors = [...new Set(candidates.map((post) => post.author))];
    const [posts, [users, relations], view] = await this.lookups.run([
      this.posts.postsLookup(recent ? [] : candidates.map((post) => post.id)),
      this.relations.audienceLookup(caller.id, authors),
      this.views.lookup(candidates, caller.id),
    ]);
    const shown = candidates.flatMap((candidate): PostRecord[] => {
      const post = recent ? (candidate as PostRecord) : posts.get(candidate.id);
      const author = users.get(candidate.author);
      const relation = relations.get(candidate.author) ?? NO_RELATION;
      const hidden =
        !post ||
        !author ||
        candidate.author === caller.id ||
        author.private ||
        author.suspended ||
        relation.followedByMe ||
        relation.blockedByMe ||
        relation.blocksMe ||
        relation.mutedByMe;
      return hidden ? [] : [post];
    });
    return {
      items: await this.views.render(shown, view),
      nextCursor: next === undefined ? null : this.cursors.next(list, JSON.stringify(next)),
    };
  }
}

function parseCursor(store: string): ExploreCursor | undefined {
  try {
    const value = JSON.parse(store) as Partial<{ g: unknown; o: unknown; r: unknown }>;
    if (typeof value.g === 'number' && typeof value.o === 'number' && Number.isInteger(value.o) && value.o >= 0) {
      return { g: value.g, o: value.o };
    }
    if (typeof value.g === 'number' && typeof value.r === 'string') {
      return { g: value.g, r: value.r };
    }
  } catch {
    // A signed cursor is ours: an unreadable one cannot happen; treated as the first page.
  }
  return undefined;
}
