import { randomBytes } from 'node:crypto';
import type { Key } from '../store/store.types.js';
import { POST_ID_PATTERN, postKey } from './post.keys.js';

export const COMMENT_KIND = 'Comment';

const POST_ID = POST_ID_PATTERN.source.slice(1, -1);

/** `{post id}.{13-digit ms}{8 hex}`: a comment's id names its post, so its key (under the post) needs no lookup. */
export const COMMENT_ID_PATTERN = new RegExp(`^(${POST_ID})\\.\\d{13}[0-9a-f]{8}$`);

export function newCommentId(postId: string, createdAt: Date): string {
  return `${postId}.${String(createdAt.getTime()).padStart(13, '0')}${randomBytes(4).toString('hex')}`;
}

/** The post a comment id belongs to. */
export function postIdOfComment(commentId: string): string {
  return commentId.slice(0, commentId.indexOf('.'));
}

/** A comment lives under its post: a post's comments are one ancestor query, and go with it. */
export const commentKey = (id: string): Key => ({ kind: COMMENT_KIND, name: id, parent: postKey(postIdOfComment(id)) });

/**
 * Names of everything kept per comment of a post (its like markers' owners, its counters' keys) start with the post's
 * id and a dot: `[from, to)` is the range holding exactly those of one post, for its clean-up.
 */
export function commentRangeOf(postId: string): { from: string; to: string } {
  return { from: `${postId}.`, to: `${postId}/` };
}
