import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { type Mention, parseMentions, parseTags } from '../common/text-tags.js';
import { postIdOfComment } from '../keys/comment.keys.js';
import { type CommentNotice, type CommentRecord, CommentsRepository } from '../repositories/comments.repository.js';
import { NotificationsRepository } from '../repositories/notifications.repository.js';
import { TagsRepository } from '../repositories/tags.repository.js';
import { PostsRepository } from '../repositories/posts.repository.js';
import { Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import { TaskHandlers } from '../tasks/task-handlers.js';
import { TaskQueue } from '../tasks/task-queue.js';
import { UsersService } from '../users/users.service.js';
import { CommentViews } from './comment-views.js';
import type { CommentDto, CommentLikeStateDto, CommentPageDto, CreateCommentRequest } from './dto/comment.dto.js';

/** What a deleted comment leaves to remove: its replies and every like of it and of them. */
interface CleanupTask {
  readonly commentId: string;
  /** ISO 8601: when the delete was asked for. */
  readonly requestedAt: string;
}

/** How long a clean-up waits for its comment's delete to commit before it decides the delete failed. */
const CLEANUP_WAIT_MS = 10 * 60_000;
const CLEANUP_DELAY_MS = 1_000;

const postNotFound = (): DomainError => new DomainError(ErrorCode.PostNotFound, 'post not found');
const commentNotFound = (what = 'comment'): DomainError =>
  new DomainError(ErrorCode.CommentNotFound, `${what} not found`);

@Injectable()
export class CommentsService implements OnModuleInit {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly posts: PostsRepository,
    private readonly tags: TagsRepository,
    private readonly notifications: NotificationsRepository,
    private readonly users: UsersService,
    private readonly views: CommentViews,
    private readonly relations: Relations,
    private readonly cursors: PageCursors,
    private readonly tasks: TaskQueue,
    private readonly handlers: TaskHandlers,
  ) {}

  onModuleInit(): void {
    this.handlers.register('comment-cleanup', (payload) => this.cleanUp(payload as unknown as CleanupTask));
  }

  /**
   * Comments on a post, or replies to one of its comments (a reply to a reply joins its top-level comment). Throws
   * post_not_found, comment_not_found for a parent that is not one of the post's, comments_disabled.
   */
  async addComment(caller: AuthenticatedUser, postId: string, request: CreateCommentRequest): Promise<CommentDto> {
    if (request.replyTo !== undefined && postIdOfComment(request.replyTo) !== postId) {
      throw commentNotFound('the comment replied to');
    }
    const [mentions, postAuthor, parent] = await Promise.all([
      this.users.mentioned(parseMentions(request.text)),
      this.posts.authorOf(postId),
      request.replyTo === undefined ? undefined : this.comments.find(request.replyTo),
      this.users.ensureExists(caller),
    ]);
    if (postAuthor === undefined) {
      throw postNotFound();
    }
    // Nobody answers a comment they cannot see: its author blocked them, or they blocked its author.
    if (parent) {
      // A reply to a reply joins its top-level comment: that one's author must not be hidden from the caller either.
      const top = parent.replyTo === null ? undefined : await this.comments.find(parent.replyTo);
      const authors = [parent.author, ...(top ? [top.author] : [])];
      await this.relations.requireContentOf(caller, postAuthor, postNotFound, authors);
    } else {
      await this.relations.requireContentForWrite(caller, postAuthor, postNotFound);
    }
    // The post, the comment replied to, the author and the counts are read by the group commit, once per group.
    const notify = await this.whoToTell(caller.id, postAuthor, parent?.author, mentions);
    const { comment, author, movedTags } = await this.comments.add(
      {
        postId,
        author: caller.id,
        text: request.text,
        replyTo: request.replyTo ?? null,
        mentions,
        tags: parseTags(request.text),
      },
      notify,
      postAuthor,
    );
    await this.tags.touch(movedTags);
    return this.views.fresh(comment, author);
  }

  /**
   * Who a new comment notifies, each once: the author of the comment replied to, the post's author, the mentioned;
   * never the commenter, nor anyone who may not see them or the post (a lookup, only when someone else than the
   * post's author is told).
   */
  private async whoToTell(
    actor: string,
    postAuthor: string,
    parentAuthor: string | undefined,
    mentions: readonly Mention[],
  ): Promise<CommentNotice[]> {
    const wanted = new Map<string, CommentNotice['type']>();
    for (const [recipient, type] of [
      ...(parentAuthor === undefined ? [] : [[parentAuthor, 'reply'] as const]),
      [postAuthor, 'comment'] as const,
      ...mentions.map((mention) => [mention.id, 'mention'] as const),
    ]) {
      if (recipient !== actor && !wanted.has(recipient)) {
        wanted.set(recipient, type);
      }
    }
    const others = [...wanted.keys()].filter((id) => id !== postAuthor);
    // The commenter may see the post's author (checked above): they are always told.
    const allowed = others.length === 0 ? new Set<string>() : await this.relations.mayBeTold(others, postAuthor, actor);
    return [...wanted].flatMap(([recipient, type]) =>
      recipient === postAuthor || allowed.has(recipient) ? [{ recipient, type }] : [],
    );
  }

  /** A post's top-level comments, oldest first. */
  async listComments(postId: string, page: PageQuery, caller: AuthenticatedUser): Promise<CommentPageDto> {
    const list = `comments/${postId}`;
    // Decoded before any store call starts: a bad cursor must not leave a lookup running unawaited.
    const from = this.cursors.decode(page.cursor, list);
    const [post, result] = await Promise.all([
      this.posts.find(postId),
      this.comments.topLevel(postId, page.limit, from?.store),
    ]);
    if (!post) {
      throw postNotFound();
    }
    const items = await this.views.present(result.comments, caller, {
      postAuthor: post.author,
      notFound: postNotFound,
    });
    return { items, nextCursor: this.cursors.next(list, result.cursor) };
  }

  async getComment(id: string, caller: AuthenticatedUser): Promise<CommentDto> {
    // A deleted post's comments are gone at once, before its clean-up has removed them.
    const [post, comment] = await Promise.all([this.posts.find(postIdOfComment(id)), this.comments.find(id)]);
    if (!post || !comment) {
      throw commentNotFound();
    }
    const [dto] = await this.views.present([comment], caller, { postAuthor: post.author, notFound: commentNotFound });
    if (!dto) {
      throw commentNotFound();
    }
    return dto;
  }

  /** A top-level comment's replies, oldest first (a reply has none). */
  async listReplies(id: string, page: PageQuery, caller: AuthenticatedUser): Promise<CommentPageDto> {
    const list = `replies/${id}`;
    const from = this.cursors.decode(page.cursor, list);
    const [post, comment, result] = await Promise.all([
      this.posts.find(postIdOfComment(id)),
      this.comments.find(id),
      this.comments.replies(id, page.limit, from?.store),
    ]);
    if (!post || !comment) {
      throw commentNotFound();
    }
    const gate = { postAuthor: post.author, parentAuthor: comment.author, notFound: commentNotFound };
    const items = await this.views.present(result.comments, caller, gate);
    return { items, nextCursor: this.cursors.next(list, result.cursor) };
  }

  /**
   * Deletes a comment (its author's or on the caller's post), and with it its replies and likes; the counts move in
   * the same commit. Throws comment_not_found, not_comment_author.
   */
  async deleteComment(id: string, caller: AuthenticatedUser): Promise<void> {
    const [post, found] = await Promise.all([this.posts.find(postIdOfComment(id)), this.comments.find(id)]);
    if (!post || !found) {
      throw commentNotFound();
    }
    // Neither author ever changes: checked here, before anything is stored, and again in the delete's commit.
    const allowed = (comment: CommentRecord): void => {
      if (comment.author !== caller.id && post.author !== caller.id && !caller.admin) {
        throw new DomainError(
          ErrorCode.NotCommentAuthor,
          'only the comment’s author, the post’s author or an admin can delete a comment',
        );
      }
    };
    allowed(found);
    // Stored first: a crash after the delete cannot leave its replies and likes behind.
    const task: CleanupTask = { commentId: id, requestedAt: new Date().toISOString() };
    // Keyed by the attempt too: a repeated delete after a failed one must not meet the name of the task that gave up.
    await this.tasks.enqueue([
      { queue: 'comment-cleanup', key: `${id}@${task.requestedAt}`, payload: { ...task }, delayMs: CLEANUP_DELAY_MS },
    ]);
    const { movedTags } = await this.comments.remove(id, allowed);
    await this.tags.touch(movedTags);
  }

  likeComment(caller: AuthenticatedUser, id: string): Promise<CommentLikeStateDto> {
    return this.setLiked(caller, id, true);
  }

  unlikeComment(caller: AuthenticatedUser, id: string): Promise<CommentLikeStateDto> {
    return this.setLiked(caller, id, false);
  }

  private async setLiked(caller: AuthenticatedUser, id: string, liked: boolean): Promise<CommentLikeStateDto> {
    // A comment of a deleted post, or a reply of a deleted comment, is gone for likes too (before its clean-up).
    const [post, comment] = await Promise.all([
      this.posts.find(postIdOfComment(id)),
      this.comments.find(id),
      this.users.ensureExists(caller),
    ]);
    if (!post || !comment) {
      throw commentNotFound();
    }
    // Nor likes a comment hidden from them (a block with its author, or suspended); taking a like back always works.
    if (liked) {
      await this.relations.requireContentOf(caller, post.author, commentNotFound, [comment.author]);
    }
    // Its author hears of a like by someone else (checked visible to each other above).
    const notice =
      liked && comment.author !== caller.id
        ? {
            ...{ recipient: comment.author, type: 'comment_like' as const, comment: id, postAuthor: post.author },
            ...{ post: post.id, thread: comment.replyTo ?? id },
          }
        : undefined;
    const change = await this.comments.setLiked(id, caller.id, liked, notice);
    return { liked: change.member, likeCount: change.count };
  }

  /** Removes a deleted comment's replies and likes (a task: it may run more than once). */
  private async cleanUp(task: CleanupTask): Promise<void> {
    if (await this.comments.find(task.commentId)) {
      if (Date.now() - Date.parse(task.requestedAt) < CLEANUP_WAIT_MS) {
        throw new Error(`comment ${task.commentId} is not deleted yet`);
      }
      // The delete never happened (it failed, or was refused, after the task was stored): nothing to clean up.
      return;
    }
    await Promise.all([
      this.comments.removeThread(task.commentId),
      this.notifications.removeAbout('comment', task.commentId),
      this.notifications.removeAbout('thread', task.commentId),
    ]);
  }
}
