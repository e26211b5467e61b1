import { Injectable } from '@nestjs/common';
import { BlobStore } from '../blobs/blob-store.js';
import { type CommentRecord, CommentsRepository } from '../repositories/comments.repository.js';
import { type UserRecord, UsersRepository } from '../repositories/users.repository.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { joinLookups, Lookups } from '../store/lookup-plan.js';
import { accessTo, isVisible, NO_RELATION, Relations, requireContent, type Viewer } from '../relations/relations.js';

/**
 * Whose post the comments are on (the viewer must have access to the author's content), and for replies whose
 * comment they answer (hidden from the viewer, its thread is too).
 */
export interface Gate {
  readonly postAuthor: string;
  readonly parentAuthor?: string;
  readonly notFound: () => DomainError;
}
import { isListed, toSummary } from '../users/user.presenter.js';
import type { CommentDto } from './dto/comment.dto.js';

/** Comments as one viewer sees them: authors, like counts, the viewer's likes and reply counts in one lookup. */
@Injectable()
export class CommentViews {
  constructor(
    private readonly users: UsersRepository,
    private readonly comments: CommentsRepository,
    private readonly relations: Relations,
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

  /**
   * The comments the viewer may see, as DTOs, in order: their author still exists, is not suspended and no block
   * stands between them and the viewer. With a gate, the viewer's access to the post's author is checked in the same
   * one lookup (throwing as requireContent).
   */
  async present(comments: readonly CommentRecord[], viewer: Viewer, gate?: Gate): Promise<CommentDto[]> {
    const ids = comments.map((comment) => comment.id);
    const authorIds = comments.map((comment) => comment.author);
    const [[authors, likeCounts, liked, replyCounts, blocked], [postAuthors, relations]] = await this.lookups.run([
      joinLookups([
        this.users.recordsLookup(authorIds),
        this.comments.likeCountsLookup(ids),
        this.comments.likedLookup(viewer.id, ids),
        this.comments.replyCountsLookup(ids),
        this.relations.blocksLookup(viewer.id, authorIds),
      ]),
      this.relations.audienceLookup(
        viewer.id,
        gate ? [gate.postAuthor, ...(gate.parentAuthor ? [gate.parentAuthor] : [])] : [],
      ),
    ]);
    if (gate) {
      const relation = relations.get(gate.postAuthor) ?? NO_RELATION;
      requireContent(accessTo(viewer, postAuthors.get(gate.postAuthor), relation), gate.notFound);
      const parent = gate.parentAuthor;
      if (parent && !isVisible(viewer, postAuthors.get(parent), relations.get(parent) ?? NO_RELATION)) {
        throw gate.notFound();
      }
    }
    return comments.flatMap((comment, i) => {
      const author = authors.get(comment.author);
      if (!author || !isListed(author, blocked, viewer)) {
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
