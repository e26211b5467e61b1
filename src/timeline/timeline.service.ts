import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import type { PostPageDto } from '../posts/dto/post.dto.js';
import { PostViews } from '../posts/post-views.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { PostsRepository, type PostRecord } from '../repositories/posts.repository.js';
import { ReceiversRepository } from '../repositories/receivers.repository.js';
import { PageCursors } from '../security/page-cursors.js';
import { Lookups } from '../store/lookup-plan.js';

@Injectable()
export class TimelineService {
  constructor(
    private readonly receivers: ReceiversRepository,
    private readonly posts: PostsRepository,
    private readonly follows: FollowsRepository,
    private readonly views: PostViews,
    private readonly lookups: Lookups,
    private readonly cursors: PageCursors,
  ) {}

  /**
   * The caller's timeline, newest first, in two sequential store round trips whatever the page size: the
   * keys-only receiver query (whose keys name each post and its author), then one lookup of the posts, the
   * caller's follow markers of their authors, the authors, the like counters and the caller's likes.
   */
  async getTimeline(caller: AuthenticatedUser, page: PageQuery): Promise<PostPageDto> {
    const from = this.cursors.decode(page.cursor, `timeline/${caller.id}`);
    const entries = await this.receivers.page(caller.id, page.limit, from?.store, from?.last);
    const authors = [...new Set(entries.posts.map((entry) => entry.author))].filter((author) => author !== caller.id);
    const [posts, following, view] = await this.lookups.run([
      this.posts.postsLookup(entries.posts.map((entry) => entry.id)),
      this.follows.isFollowingLookup(caller.id, authors),
      this.views.lookup(entries.posts, caller.id),
    ]);
    const followed = new Set(authors.filter((_, i) => following[i]));
    // Receivers are copies made at publish time: an unfollowed author's posts stay out, a deleted post is gone.
    const shown = entries.posts.flatMap((entry): PostRecord[] => {
      const post = posts.get(entry.id);
      return post && (post.author === caller.id || followed.has(post.author)) ? [post] : [];
    });
    return {
      items: await this.views.render(shown, view),
      nextCursor: this.cursors.next(`timeline/${caller.id}`, entries.cursor, entries.last),
    };
  }
}
