import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { type Mention, parseMentions, parseTags } from '../common/text-tags.js';
import type { StoredMedia } from '../keys/media.keys.js';
import { uploadObjectName } from '../keys/post.keys.js';
import { UploadImages } from '../media/upload-images.js';
import { CommentsRepository } from '../repositories/comments.repository.js';
import { LikesRepository } from '../repositories/likes.repository.js';
import { NotificationsRepository } from '../repositories/notifications.repository.js';
import { TagsRepository } from '../repositories/tags.repository.js';
import { singleItem } from '../keys/notification.keys.js';
import { type PostRecord, PostsRepository, type UploadRecord } from '../repositories/posts.repository.js';
import { accessTo, NO_RELATION, Relations, requireContent } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import { Lookups } from '../store/lookup-plan.js';
import { TaskHandlers } from '../tasks/task-handlers.js';
import { TaskQueue } from '../tasks/task-queue.js';
import { UsersService } from '../users/users.service.js';
import type { CreatePostRequest, PostDto, PostPageDto, UpdatePostRequest } from './dto/post.dto.js';
import { PostFanOut } from './post-fan-out.js';
import { PostViews } from './post-views.js';

/** What a deleted post leaves to remove. */
interface CleanupTask {
  readonly postId: string;
  readonly author: string;
  readonly uploadIds: readonly string[];
  /** The one image of a post made before images were processed. */
  readonly legacyObjectName: string | null;
  /** ISO 8601: when the delete was asked for. */
  readonly requestedAt: string;
}

/** How long a clean-up waits for its post's delete to commit before it decides the delete failed. */
const CLEANUP_WAIT_MS = 10 * 60_000;
/** A clean-up starts this long after it is stored: by then its post's delete has committed. */
const CLEANUP_DELAY_MS = 1_000;

const postNotFound = (): DomainError => new DomainError(ErrorCode.PostNotFound, 'post not found');

@Injectable()
export class PostsService implements OnModuleInit {
  constructor(
    private readonly posts: PostsRepository,
    private readonly likes: LikesRepository,
    private readonly comments: CommentsRepository,
    private readonly notifications: NotificationsRepository,
    private readonly tags: TagsRepository,
    private readonly users: UsersService,
    private readonly images: UploadImages,
    private readonly fanOut: PostFanOut,
    private readonly views: PostViews,
    private readonly relations: Relations,
    private readonly lookups: Lookups,
    private readonly cursors: PageCursors,
    private readonly tasks: TaskQueue,
    private readonly handlers: TaskHandlers,
  ) {}

  onModuleInit(): void {
    this.handlers.register('cleanup', (payload) => this.cleanUp(payload as unknown as CleanupTask));
  }

  /**
   * Publishes uploaded images, each decoded and stored as variants; a retry with the same uploads answers the same
   * post. Throws upload_not_found / not_upload_owner / upload_used / upload_missing / invalid_image, naming the image.
   */
  async createPost(caller: AuthenticatedUser, request: CreatePostRequest): Promise<PostDto> {
    const items = request.media ?? [{ uploadId: request.uploadId! }];
    const label = (i: number) => (request.media ? `media[${i}]` : 'the upload');
    const found = await this.posts.findUploads(items.map((item) => item.uploadId));
    const uploads = items.map((item, i) => {
      const upload = found.get(item.uploadId);
      if (!upload) {
        throw new DomainError(ErrorCode.UploadNotFound, `${label(i)}: upload ${item.uploadId} not found`);
      }
      if (upload.owner !== caller.id) {
        throw new DomainError(ErrorCode.NotUploadOwner, `${label(i)}: upload ${item.uploadId} belongs to another user`);
      }
      return upload;
    });
    const post = (await this.posts.publishedFrom(uploads)) ?? (await this.publish(caller, request, uploads, label));
    // Also on a retry: it completes a fan-out (and tells the mentioned) where an earlier attempt may have stopped.
    await Promise.all([
      this.fanOut.deliver(post),
      this.tellMentioned(post, post.mentions, post.createdAt),
      this.tags.touch(post.listedTags),
    ]);
    const [dto] = await this.views.present([post], caller.id);
    return dto;
  }

  private async publish(
    caller: AuthenticatedUser,
    request: CreatePostRequest,
    uploads: UploadRecord[],
    label: (i: number) => string,
  ): Promise<PostRecord> {
    const altTexts = request.media?.map((item) => item.altText?.trim() || null) ?? [];
    let media: StoredMedia[];
    try {
      media = await Promise.all(
        uploads.map(async (upload, i) => {
          const image = await this.images.store(label(i), upload, 'post');
          return { uploadId: upload.id, altText: altTexts[i] ?? null, ...image };
        }),
      );
    } catch (error) {
      // A concurrent attempt with the same uploads may have published (and removed the originals) meanwhile, or an
      // avatar change taken one of them.
      const now = await this.posts.findUploads(uploads.map((upload) => upload.id));
      const gone = uploads.findIndex((upload) => !now.has(upload.id));
      if (gone >= 0) {
        throw new DomainError(ErrorCode.UploadNotFound, `${label(gone)}: upload ${uploads[gone].id} not found`);
      }
      const published = await this.posts.publishedFrom([...now.values()]);
      if (published) {
        return published;
      }
      throw error;
    }
    const caption = await this.captioned(request.caption ?? '');
    const { post, created } = await this.posts
      .publish(
        uploads.map((upload) => upload.id),
        {
          author: caller.id,
          caption: caption.text,
          tags: caption.tags,
          mentions: caption.mentions,
          media,
          commentsEnabled: request.commentsEnabled ?? true,
        },
      )
      .catch(async (error: unknown) => {
        // The upload went meanwhile (its post deleted, or made an avatar): no post can show these variants now.
        if (error instanceof DomainError && error.code === ErrorCode.UploadNotFound) {
          await this.images.removeVariants(media.flatMap((item) => item.variants));
        }
        throw error;
      });
    if (created) {
      await this.images.removeOriginals(uploads.map((upload) => upload.objectName));
    }
    return post;
  }

  /** Tells the users a caption mentions who may see the post (never its author); a repeat writes the same rows. */
  private async tellMentioned(post: PostRecord, mentions: readonly Mention[], at: Date): Promise<void> {
    if (mentions.length === 0) {
      return;
    }
    const allowed = await this.relations.mayBeTold(
      mentions.map((mention) => mention.id),
      post.author,
      post.author,
    );
    await this.notifications.addSingles(
      [...allowed].map((recipient) => ({
        ...{ recipient, type: 'mention' as const, item: singleItem.caption(post.id), actor: post.author, at },
        ...{ post: post.id, postAuthor: post.author },
      })),
    );
  }

  /** A caption with its hashtags and the users it mentions that exist. */
  private async captioned(text: string): Promise<{ text: string; tags: string[]; mentions: Mention[] }> {
    const mentions = await this.users.mentioned(parseMentions(text));
    return { text, tags: parseTags(text), mentions };
  }

  /** Changes what the author sent (caption, commentsEnabled) and nothing else. */
  async updatePost(id: string, caller: AuthenticatedUser, request: UpdatePostRequest): Promise<PostDto> {
    const [caption, before] = await Promise.all([
      request.caption === undefined ? undefined : this.captioned(request.caption),
      request.caption === undefined ? undefined : this.posts.find(id),
    ]);
    const post = await this.posts.update(id, caller.id, { caption, commentsEnabled: request.commentsEnabled });
    if (caption && before) {
      await this.tags.touch([...new Set([...before.listedTags, ...post.listedTags])]);
      // Who the new caption mentions first is told; who it no longer mentions loses the notification.
      const was = new Set(before.mentions.map((mention) => mention.id));
      const now = new Set(post.mentions.map((mention) => mention.id));
      await Promise.all([
        this.tellMentioned(
          post,
          post.mentions.filter((mention) => !was.has(mention.id)),
          post.editedAt ?? new Date(),
        ),
        this.notifications.removeItems(
          [...was]
            .filter((userId) => !now.has(userId))
            .map((recipient) => ({ recipient, item: singleItem.caption(post.id) })),
        ),
      ]);
    }
    const [dto] = await this.views.present([post], caller.id);
    return dto;
  }

  /**
   * A post, in two round trips: the post, then what it shows together with the caller's access to its author.
   * 404 when the author blocked the caller or is suspended; 403 private_account / user_blocked.
   */
  async getPost(id: string, caller: AuthenticatedUser): Promise<PostDto> {
    const post = await this.posts.find(id);
    if (!post) {
      throw postNotFound();
    }
    const [view, [users, relations]] = await this.lookups.run([
      this.views.lookup([post], caller.id),
      this.relations.audienceLookup(caller.id, [post.author]),
    ]);
    requireContent(accessTo(caller, users.get(post.author), relations.get(post.author) ?? NO_RELATION), postNotFound);
    const [dto] = await this.views.render([post], view);
    return dto;
  }

  /**
   * Deletes the post at once (gone from GET and every timeline page); what hangs off it is removed by a `cleanup`
   * task. Throws post_not_found, or not_post_author for someone else's post.
   */
  async deletePost(id: string, caller: AuthenticatedUser): Promise<void> {
    const post = await this.posts.find(id);
    if (!post) {
      throw postNotFound();
    }
    if (post.author !== caller.id && !caller.admin) {
      throw new DomainError(ErrorCode.NotPostAuthor, 'only the author (or an admin) can delete a post');
    }
    // The clean-up is stored first: a delete that fails after it, or a crash, cannot leave the post's data behind
    // (the task waits for the post to be gone, and gives up if it never is).
    const task: CleanupTask = {
      postId: post.id,
      author: post.author,
      uploadIds: post.uploadIds,
      legacyObjectName: post.legacyObjectName,
      requestedAt: new Date().toISOString(),
    };
    await this.tasks.enqueue([{ queue: 'cleanup', key: post.id, payload: { ...task }, delayMs: CLEANUP_DELAY_MS }]);
    const { post: removed } = await this.posts.remove(id, post.author);
    await this.tags.touch(removed.listedTags);
  }

  /** Removes a deleted post's receivers, likes, comments and images (a task: it may run more than once). */
  private async cleanUp(post: CleanupTask): Promise<void> {
    if (await this.posts.find(post.postId)) {
      if (Date.now() - Date.parse(post.requestedAt) < CLEANUP_WAIT_MS) {
        throw new Error(`post ${post.postId} is not deleted yet`);
      }
      // The delete never happened (it failed after the task was stored): nothing to clean up.
      return;
    }
    await Promise.all([
      this.fanOut.withdraw(post.postId),
      this.likes.removePost(post.postId),
      this.comments.removePost(post.postId),
      this.notifications.removeAbout('post', post.postId),
      // Every variant name of its uploads, not only the stored ones: a slow retry or a lost race may have written more.
      this.images.removeAllVariantsOf(post.author, post.uploadIds),
      // Originals are normally gone already; a post made before images were processed shows its one copy.
      this.images.removeOriginals([
        ...post.uploadIds.map((uploadId) => uploadObjectName(post.author, uploadId)),
        ...(post.legacyObjectName ? [post.legacyObjectName] : []),
      ]),
    ]);
  }

  async listUserPosts(userId: string, page: PageQuery, caller: AuthenticatedUser): Promise<PostPageDto> {
    // Decoded before any store call starts: a bad cursor must not leave a lookup running unawaited.
    const from = this.cursors.decode(page.cursor, `posts/${userId}`);
    const [{ access }, result] = await Promise.all([
      this.relations.access(caller, userId),
      this.posts.byAuthor(userId, page.limit, from?.store),
    ]);
    requireContent(access);
    return {
      items: await this.views.present(result.posts, caller.id),
      nextCursor: this.cursors.next(`posts/${userId}`, result.cursor),
    };
  }
}
