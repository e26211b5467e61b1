import { Injectable } from '@nestjs/common';
import { BlobStore } from '../blobs/blob-store.js';
import { CommentsRepository } from '../repositories/comments.repository.js';
import { LikesRepository } from '../repositories/likes.repository.js';
import type { PostRecord } from '../repositories/posts.repository.js';
import { type UserRecord, UsersRepository } from '../repositories/users.repository.js';
import { joinLookups, Lookups, type LookupPart } from '../store/lookup-plan.js';
import { toSummary } from '../users/user.presenter.js';
import type { StoredMedia } from '../keys/media.keys.js';
import type { MediaDto, PostDto } from './dto/post.dto.js';

/** What a page needs to show posts to one viewer, beyond the posts themselves. */
export interface PostView {
  readonly authors: Map<string, UserRecord>;
  readonly likeCounts: Map<string, number>;
  readonly liked: Set<string>;
  readonly commentCounts: Map<string, number>;
}

export function toMediaDto(media: StoredMedia, blobs: BlobStore): MediaDto {
  const variants = media.variants.map(({ width, height, objectName }) => ({
    width,
    height,
    url: blobs.mediaUrl(objectName),
  }));
  // The size and URL of a media item are its largest variant's.
  const { width, height, url } = variants.at(-1)!;
  return { width, height, blurhash: media.blurhash, altText: media.altText, url, variants };
}

function toPostDto(
  post: PostRecord,
  author: UserRecord,
  legacyUrl: string | undefined,
  view: PostView,
  blobs: BlobStore,
): PostDto {
  const media = post.media.map((item) => toMediaDto(item, blobs));
  return {
    id: post.id,
    author: toSummary(author, blobs),
    media,
    imageUrl: media[0]?.url ?? legacyUrl ?? '',
    caption: post.caption,
    tags: post.tags,
    mentions: post.mentions,
    createdAt: post.createdAt.toISOString(),
    editedAt: post.editedAt?.toISOString() ?? null,
    likeCount: view.likeCounts.get(post.id) ?? 0,
    likedByMe: view.liked.has(post.id),
    commentCount: view.commentCounts.get(post.id) ?? 0,
    commentsEnabled: post.commentsEnabled,
  };
}

/**
 * Posts as one viewer sees them, for every feature that shows posts: the lookup of what they show (authors, like
 * counts, the viewer's likes), which a page joins into its own one lookup, and the rendering into DTOs.
 */
@Injectable()
export class PostViews {
  constructor(
    private readonly users: UsersRepository,
    private readonly likes: LikesRepository,
    private readonly comments: CommentsRepository,
    private readonly blobs: BlobStore,
    private readonly lookups: Lookups,
  ) {}

  /** Posts as a viewer sees them, in one lookup. */
  async present(posts: readonly PostRecord[], viewerId: string): Promise<PostDto[]> {
    const [view] = await this.lookups.run([this.lookup(posts, viewerId)]);
    return this.render(posts, view);
  }

  /** What showing these posts to a viewer needs, to join into a page's one lookup (see the timeline). */
  lookup(posts: readonly { id: string; author: string }[], viewerId: string): LookupPart<PostView> {
    const ids = posts.map((post) => post.id);
    const parts = joinLookups([
      this.users.recordsLookup(posts.map((post) => post.author)),
      this.likes.countsLookup(ids),
      this.likes.likedLookup(viewerId, ids),
      this.comments.countsLookup(ids),
    ]);
    return {
      keys: parts.keys,
      read: (entities) => {
        const [authors, likeCounts, liked, commentCounts] = parts.read(entities);
        return { authors, likeCounts, liked: new Set(ids.filter((_, i) => liked[i])), commentCounts };
      },
    };
  }

  /** The posts whose author still exists, as DTOs. */
  async render(posts: readonly PostRecord[], view: PostView): Promise<PostDto[]> {
    // Only posts made before images were processed need a (signed) URL of their one image.
    const legacyUrls = await Promise.all(
      posts.map((post) =>
        post.legacyObjectName ? this.blobs.readUrl(post.legacyObjectName) : Promise.resolve(undefined),
      ),
    );
    return posts.flatMap((post, i) => {
      const author = view.authors.get(post.author);
      return author ? [toPostDto(post, author, legacyUrls[i], view, this.blobs)] : [];
    });
  }
}
