import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import type { PostPageDto } from '../posts/dto/post.dto.js';
import { PostViews } from '../posts/post-views.js';
import { PostsRepository } from '../repositories/posts.repository.js';
import { TagsRepository } from '../repositories/tags.repository.js';
import { accessTo, NO_RELATION, Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import { Lookups } from '../store/lookup-plan.js';
import type { TagDto } from './dto/discovery.dto.js';

/** A tag as stored: NFC, lowercase (what parseTags writes). */
export const tagOf = (param: string): string => param.normalize('NFC').toLowerCase();

@Injectable()
export class TagsService {
  constructor(
    private readonly tags: TagsRepository,
    private readonly posts: PostsRepository,
    private readonly views: PostViews,
    private readonly relations: Relations,
    private readonly lookups: Lookups,
    private readonly cursors: PageCursors,
  ) {}

  /** The tag and its exact post count (0 for a tag nobody used): one lookup. */
  async getTag(param: string): Promise<TagDto> {
    const tag = tagOf(param);
    const [counts] = await this.lookups.run([this.tags.countsLookup([tag])]);
    return { tag, postCount: counts.get(tag) ?? 0 };
  }

  /**
   * The tag's posts, newest first, in two round trips: the query, then the posts' views with the caller's access to
   * their authors. A private account's posts show only to its followers, a blocked or suspended author's to nobody.
   */
  async tagPosts(param: string, page: PageQuery, caller: AuthenticatedUser): Promise<PostPageDto> {
    const tag = tagOf(param);
    const list = `tag/${tag}`;
    const from = this.cursors.decode(page.cursor, list);
    const result = await this.posts.byTag(tag, page.limit, from?.store);
    const authors = result.posts.map((post) => post.author);
    const [view, [users, relations]] = await this.lookups.run([
      this.views.lookup(result.posts, caller.id),
      this.relations.audienceLookup(caller.id, authors),
    ]);
    const shown = result.posts.filter((post) => {
      const access = accessTo(caller, users.get(post.author), relations.get(post.author) ?? NO_RELATION);
      return access.profile && access.content;
    });
    return { items: await this.views.render(shown, view), nextCursor: this.cursors.next(list, result.cursor) };
  }
}
