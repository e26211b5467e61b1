import { Injectable } from '@nestjs/common';
import { BlobStore } from '../blobs/blob-store.js';
import { type CommentRecord, CommentsRepository } from '../repositories/comments.repository.js';
import { type UserRecord, UsersRepository } from '../repositories/users.repository.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { joinLookups, Lookups } from '../store/lookup-plan.js';
import { toSummary } from '../users/user.presenter.js';
import type { CommentDto } from './dto/comment.dto.js';

/** Comments as one viewer sees them: authors, like counts, the viewer's likes and reply counts in one lookup. */
@Injectable()
export class CommentViews {
  constructor(
    private readonly users: UsersRepository,
    private readonly comments: CommentsRepository,
    private readonly lookups: Lookups,
    private readonly blobs: BlobStore,
  ) {}

  /** A comment just stored: nobody has liked or answered it yet, so only its author needs looking up. */
  fresh(comment: CommentRecord, author: UserRecord | undefined): CommentDto {
    if (!author) {
      throw new DomainError(ErrorCode.UserNotFound, 'user not found');
    }
    return this.toDto(comment, author, { likeCount: 0, likedByMe: false, replyCount: 0 });
  }

  /** The comments whose author still exists, as DTOs, in order. */
  async present(comments: readonly CommentRecord[], viewerId: string): Promise<CommentDto[]> {
    const ids = comments.map((comment) => comment.id);
    const [[authors, likeCounts, liked, replyCounts]] = await this.lookups.run([
      joinLookups([
        this.users.recordsLookup(comments.map((comment) => comment.author)),
        this.comments.likeCountsLookup(ids),
        this.comments.likedLookup(viewerId, ids),
        this.comments.replyCountsLookup(ids),
      ]),
    ]);
    return comments.flatMap((comment, i) => {
      const author = authors.get(comment.author);
      if (!author) {
        return [];
      }
      return [
        this.toDto(comment, author, {
          likeCount: likeCounts.get(comment.id) ?? 0,
          likedByMe: liked[i],
          replyCount: comment.replyTo ? 0 : (replyCounts.get(comment.id) ?? 0),
        }),
      ];
    });
  }

  private toDto(
    comment: CommentRecord,
    author: UserRecord,
    counts: Pick<CommentDto, 'likeCount' | 'likedByMe' | 'replyCount'>,
  ): CommentDto {
    return {
      id: comment.id,
      postId: comment.postId,
      author: toSummary(author, this.blobs),
      text: comment.text,
      replyTo: comment.replyTo,
      mentions: comment.mentions,
      tags: comment.tags,
      createdAt: comment.createdAt.toISOString(),
      ...counts,
    };
  }
}
