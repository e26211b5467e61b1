import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import type { PostPageDto } from '../posts/dto/post.dto.js';
import { PostViews } from '../posts/post-views.js';
import { PostsRepository, type PostRecord } from '../repositories/posts.repository.js';
import { ReceiversRepository } from '../repositories/receivers.repository.js';
import { NO_RELATION, Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import { Lookups } from '../store/lookup-plan.js';

@Injectable()
export class TimelineService {
  constructor(
    private readonly receivers: ReceiversRepository,
    private readonly posts: PostsRepository,
    private readonly relations: Relations,
    private readonly views: PostViews,
    private readonly lookups: Lookups,
    private readonly cursors: PageCursors,
  ) {}

  /**
   * The caller's timeline, newest first, in two sequential store round trips whatever the page size: the
   * keys-only receiver query (whose keys name each post and its author), then one lookup of the posts, the
   * caller's follow and mute markers of their authors, the authors, the like counters and the caller's likes.
   */
  async getTimeline(caller: AuthenticatedUser, page: PageQuery): Promise<PostPageDto> {
    const from = this.cursors.decode(page.cursor, `timeline/${caller.id}`);
    const entries = await this.receivers.page(caller.id, page.limit, from?.store, from?.last);
    const authors = [...new Set(entries.posts.map((entry) => entry.author))].filter((author) => author !== caller.id);
    const [posts, relations, view] = await this.lookups.run([
      this.posts.postsLookup(entries.posts.map((entry) => entry.id)),
      this.relations.lookup(caller.id, authors, { lean: true }),
      this.views.lookup(entries.posts, caller.id),
    ]);
    // Receivers are copies made at publish time: the posts of an author unfollowed (or who removed the caller as a
    // follower, or blocked either way: a block ends the follows), muted or suspended stay out, and a deleted post is
    // gone.
    const shown = entries.posts.flatMap((entry): PostRecord[] => {
      const post = posts.get(entry.id);
      if (!post) {
        return [];
      }
      if (post.author === caller.id) {
        return [post];
      }
      const relation = relations.get(post.author) ?? NO_RELATION;
      const author = view.authors.get(post.author);
      const hidden = !relation.followedByMe || relation.mutedByMe;
      return hidden || !author || author.suspended ? [] : [post];
    });
    return {
      items: await this.views.render(shown, view),
      nextCursor: this.cursors.next(`timeline/${caller.id}`, entries.cursor, entries.last),
    };
  }
}
