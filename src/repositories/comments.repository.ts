import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors.js';
import type { Mention } from '../common/text-tags.js';
import { AppConfig } from '../config/app-config.js';
import { COMMENT_KIND, commentKey, commentRangeOf, newCommentId, postIdOfComment } from '../keys/comment.keys.js';
import { postKey } from '../keys/post.keys.js';
import { singleItem, singleNotification } from '../keys/notification.keys.js';
import { GroupCommitter } from '../membership/group-committer.js';
import type { Notice } from '../membership/membership-notices.js';
import { Membership } from '../membership/membership.js';
import type { MembershipChange, StableSettings } from '../membership/membership.settings.js';
import { deleteMatching } from '../store/delete-matching.js';
import { lookupAll, type LookupPart } from '../store/lookup-plan.js';
import { resumeCursor } from '../store/query-page.js';
import { ShardedCounter, type ShardData } from '../store/sharded-counter.js';
import { Store } from '../store/store.js';
import { PostsRepository } from './posts.repository.js';
import { type UserRecord, UsersRepository } from './users.repository.js';
import { KEY_PROPERTY, STORE_LIMITS, type Entity, type Transaction } from '../store/store.types.js';

export interface CommentRecord {
  id: string;
  postId: string;
  author: string;
  text: string;
  /** The top-level comment this one replies to; null for a top-level comment. */
  replyTo: string | null;
  mentions: Mention[];
  tags: string[];
  createdAt: Date;
}

export type NewComment = Omit<CommentRecord, 'id' | 'createdAt'>;

export interface CommentPage {
  comments: CommentRecord[];
  cursor?: string;
}

/**
 * A comment entity, under its post. `thread` is '' for a top-level comment and its parent's id for a reply: the one
 * indexed property both lists (a post's comments, a comment's replies) filter on, oldest first.
 */
type CommentData = {
  author: string;
  text: string;
  thread: string;
  mentions: string;
  tags: string[];
  createdAt: Date;
  /** Its hashtags list the post (the post's author wrote it): its delete moves the post's tags. */
  listed?: boolean;
  /** A top-level comment with such a reply of the post's author: its delete moves the post's tags too. */
  listedReplies?: boolean;
};

/** Slots of a post: comment groups committed at once, one CommentCount shard each. */
const SLOTS = 8;
/** Reply counts change less often (one thread): a few shards, moved by the slot's commit. */
const REPLY_SHARDS = 4;
/**
 * Commits of one post in flight at once per process, and comments combined into one: each comment writes itself and
 * up to 2 + MAX_MENTIONS notifications, a reply shard, so 20 of them stay within a commit's 500 mutations.
 */
const COMMITS_IN_FLIGHT = 2;
const MAX_GROUP = 20;

/** The comments of a post (replies included) and the replies of a comment, each a sum of small shards. */
const commentCount = new ShardedCounter('CommentCount', SLOTS);
const replyCount = new ShardedCounter('ReplyCount', REPLY_SHARDS);

const commentNotFound = (what = 'comment'): DomainError =>
  new DomainError(ErrorCode.CommentNotFound, `${what} not found`);

/** Who a new comment tells, and as what (one each: the service decides). */
export interface CommentNotice {
  readonly recipient: string;
  readonly type: 'comment' | 'reply' | 'mention';
}

interface AddOp {
  /** A token of this op alone, so no two ops wait for each other. */
  readonly member: string;
  /** The post's author's comment with hashtags: it moves up to MAX_LISTED_TAGS counts, so it commits by itself. */
  readonly alone: boolean;
  readonly comment: NewComment;
  readonly notify: readonly CommentNotice[];
}

type AddResult = AddedComment | { error: DomainError };

/** A stored comment with its author's record, read in its group's one lookup. */
export interface AddedComment {
  comment: CommentRecord;
  author: UserRecord | undefined;
  /** The hashtags whose post counts the comment moved (the post's author's own comment only). */
  movedTags: string[];
}

let lastCommentMs = 0;

/** Now, but strictly after this process's previous comment: one post's comments never tie in oldest-first order. */
function nextCommentTime(): Date {
  lastCommentMs = Math.max(Date.now(), lastCommentMs + 1);
  return new Date(lastCommentMs);
}

/**
 * Comments under their posts, their likes (the membership engine) and their counts. The comments that arrive together
 * for one post go in one commit per free slot, with the slot's CommentCount shard (and the reply counts) moved in the
 * same commit: a hot post costs a few commits a second, never one contended counter write per comment.
 */
@Injectable()
export class CommentsRepository {
  private readonly committer: GroupCommitter<AddOp, AddResult>;
  private readonly likers: Membership<StableSettings>;

  constructor(
    private readonly store: Store,
    private readonly posts: PostsRepository,
    private readonly users: UsersRepository,
    config: AppConfig,
  ) {
    this.committer = new GroupCommitter((postId, slot, ops) => this.commitGroup(postId, slot, ops), {
      slots: SLOTS,
      concurrency: Math.min(COMMITS_IN_FLIGHT, store.commitConcurrency),
      maxGroup: MAX_GROUP,
    });
    this.likers = new Membership(store, {
      kinds: { batch: 'CommentLikerBatch', marker: 'CommentLike', counter: 'CommentLikeCount' },
      ownerKey: commentKey,
      ownerMissing: () => commentNotFound(),
      listOrder: 'stable',
      batchCeiling: config.likerBatchSize,
    });
  }

  /**
   * Stores a comment; a reply to a reply joins its top-level comment. Throws post_not_found, comments_disabled, or
   * comment_not_found when the comment replied to is not there. Resolves once committed, with its notifications.
   */
  async add(comment: NewComment, notify: readonly CommentNotice[] = [], postAuthor?: string): Promise<AddedComment> {
    const member = randomBytes(8).toString('hex');
    const alone = comment.author === postAuthor && comment.tags.length > 0;
    const result = await this.committer.submit(comment.postId, { member, alone, comment: { ...comment }, notify });
    if ('error' in result) {
      throw result.error;
    }
    return result;
  }

  private async commitGroup(postId: string, slot: number, ops: readonly AddOp[]): Promise<AddResult[]> {
    // Checked once per group, outside the transaction (as the membership engine checks its owner): every comment of
    // a hot post would otherwise read it, and the emulator aborts concurrent transactions that merely read one entity.
    // A group racing the post's deletion may commit after its clean-up; every read goes by the post, so it is never
    // shown (the membership engine's trade-off for likes).
    // The answer shows each comment's author: their records come in the same lookup, once per group.
    const [posts, authors] = await lookupAll(this.store, [
      this.posts.postsLookup([postId]),
      this.users.recordsLookup(ops.map((op) => op.comment.author)),
    ]);
    const post = posts.get(postId);
    if (!post || !post.commentsEnabled) {
      const error = post
        ? new DomainError(ErrorCode.CommentsDisabled, 'the author turned comments off for this post')
        : new DomainError(ErrorCode.PostNotFound, 'post not found');
      return ops.map(() => ({ error }));
    }
    return this.store.runInTransaction(async (tx) => {
      const asked = [...new Set(ops.flatMap((op) => (op.comment.replyTo ? [op.comment.replyTo] : [])))];
      const [shard, ...found] = await tx.get<CommentData | ShardData>([
        commentCount.key(postId, slot),
        ...asked.map(commentKey),
      ]);
      // The top-level comment each reply goes under: the one asked for, or the thread of a reply asked for.
      const topOf = new Map(
        asked.flatMap((id, i) => {
          const parent = found[i]?.data as CommentData | undefined;
          return parent ? [[id, parent.thread || id]] : [];
        }),
      );
      const tops = [...new Set(topOf.values())];
      const replyShard = slot % REPLY_SHARDS;
      const [...topReads] = await tx.get([
        ...tops.map(commentKey),
        ...tops.map((top) => replyCount.key(top, replyShard)),
      ]);
      const live = new Set(tops.filter((_, i) => topReads[i] !== undefined));
      const replies = new Map<string, number>();
      const notices: Entity[] = [];
      const results: AddResult[] = ops.map((op) => {
        // Timed (and named) as this attempt commits, not as the request arrived: a group that waited behind another
        // slot's, or was retried, still lands after the comments a reader may already have paged past.
        const createdAt = nextCommentTime();
        const asked = op.comment.replyTo;
        const top = asked ? topOf.get(asked) : undefined;
        if (asked && (top === undefined || !live.has(top))) {
          return { error: commentNotFound('the comment replied to') };
        }
        if (top) {
          replies.set(top, (replies.get(top) ?? 0) + 1);
        }
        const id = newCommentId(postId, createdAt);
        for (const { recipient, type } of op.notify) {
          notices.push(
            singleNotification({
              ...{ recipient, type, item: singleItem.comment(id), actor: op.comment.author, at: createdAt },
              ...{ post: postId, comment: id, thread: top ?? id, postAuthor: post.author },
            }),
          );
        }
        return {
          comment: { ...op.comment, replyTo: top ?? null, id, createdAt },
          author: authors.get(op.comment.author),
          movedTags: [],
        };
      });
      const added = results.flatMap((result) => ('comment' in result ? [result.comment] : []));
      if (added.length === 0) {
        return results;
      }
      const ownTagged = added.filter((comment) => comment.author === post.author && comment.tags.length > 0);
      const listedTops = new Set(ownTagged.flatMap((comment) => (comment.replyTo ? [comment.replyTo] : [])));
      if (ownTagged.length > 0) {
        const listed = ownTagged.map((comment) => ({
          id: comment.id,
          thread: comment.replyTo ?? '',
          tags: comment.tags,
        }));
        const moved = await this.posts.moveCommentTags(tx, postId, { added: listed });
        for (const result of results) {
          if ('comment' in result && ownTagged.includes(result.comment)) {
            result.movedTags = moved.filter((tag) => result.comment.tags.includes(tag));
          }
        }
      }
      tx.insert(added.map((comment) => toEntity(comment, ownTagged.includes(comment))));
      // Marked so that only the deletes that must read the post do (many at once would abort each other on it).
      const marked = tops.flatMap((top, i) => {
        const entity = topReads[i] as Entity<CommentData> | undefined;
        return entity && listedTops.has(top) && !entity.data.listedReplies
          ? [{ ...entity, data: { ...entity.data, listedReplies: true }, excludeFromIndexes: UNINDEXED }]
          : [];
      });
      tx.upsert([
        ...marked,
        ...notices,
        commentCount.moved(commentCount.key(postId, slot), shard as Entity<ShardData> | undefined, added.length),
        ...[...replies].map(([top, count]) =>
          replyCount.moved(
            replyCount.key(top, replyShard),
            topReads[tops.length + tops.indexOf(top)] as Entity<ShardData> | undefined,
            count,
          ),
        ),
      ]);
      return results;
    });
  }

  /** A comment by id; a reply whose top-level comment was deleted is gone with it. */
  async find(id: string): Promise<CommentRecord | undefined> {
    const [entity] = await this.store.get<CommentData>([commentKey(id)]);
    const comment = entity && toRecord(entity);
    if (comment?.replyTo) {
      const [parent] = await this.store.get([commentKey(comment.replyTo)]);
      return parent ? comment : undefined;
    }
    return comment;
  }

  /** A post's top-level comments, oldest first. */
  topLevel(postId: string, limit: number, cursor?: string): Promise<CommentPage> {
    return this.thread(postId, '', limit, cursor);
  }

  /** A top-level comment's replies, oldest first. */
  replies(commentId: string, limit: number, cursor?: string): Promise<CommentPage> {
    return this.thread(postIdOfComment(commentId), commentId, limit, cursor);
  }

  private async thread(postId: string, thread: string, limit: number, cursor?: string): Promise<CommentPage> {
    const result = await this.store.query<CommentData>({
      kind: COMMENT_KIND,
      ancestor: postKey(postId),
      filters: [{ property: 'thread', op: '=', value: thread }],
      orders: [{ property: 'createdAt', direction: 'asc' }],
      limit,
      startCursor: cursor,
    });
    return { comments: result.entities.map(toRecord), cursor: resumeCursor(result, limit) };
  }

  /** Comments of many posts (replies included), from their shards. */
  countsLookup(postIds: readonly string[]): LookupPart<Map<string, number>> {
    return commentCount.countsLookup(postIds);
  }

  replyCountsLookup(commentIds: readonly string[]): LookupPart<Map<string, number>> {
    return replyCount.countsLookup(commentIds);
  }

  likeCountsLookup(commentIds: readonly string[]): LookupPart<Map<string, number>> {
    return this.likers.read.countsLookup(commentIds);
  }

  likedLookup(userId: string, commentIds: readonly string[]): LookupPart<boolean[]> {
    return this.likers.read.isMemberLookup(commentIds.map((owner) => ({ owner, member: userId })));
  }

  /** The notification row each comment like is counted in. */
  likeNoticeLookup(likes: readonly { commentId: string; userId: string }[]): LookupPart<(string | undefined)[]> {
    return this.likers.read.noticeLookup(likes.map(({ commentId, userId }) => ({ owner: commentId, member: userId })));
  }

  /** Comments by id as stored (a reply of a deleted comment too, until its clean-up). */
  commentsLookup(ids: readonly string[]): LookupPart<Map<string, CommentRecord>> {
    const unique = [...new Set(ids)];
    return {
      keys: unique.map(commentKey),
      read: (entities) =>
        new Map(
          (entities as (Entity<CommentData> | undefined)[]).flatMap((entity) =>
            entity ? [[entity.key.name, toRecord(entity)]] : [],
          ),
        ),
    };
  }

  setLiked(commentId: string, userId: string, liked: boolean, notice?: Notice): Promise<MembershipChange> {
    return this.likers.write.change(commentId, userId, liked, notice);
  }

  /**
   * Deletes a comment in one commit with the counts it moves: a top-level one takes its replies out of the post's
   * count (their entities and every like go in a clean-up after), a reply leaves its parent's count.
   * `allowed` sees the comment first and throws to refuse. Throws comment_not_found. Returns the comment and the
   * hashtags whose post counts moved.
   */
  remove(
    id: string,
    allowed: (comment: CommentRecord) => void,
  ): Promise<{ comment: CommentRecord; movedTags: string[] }> {
    return this.store.runInTransaction(async (tx) => {
      const { comment, data } = await this.live(tx, id);
      allowed(comment);
      const postShard = commentCount.randomKey(comment.postId);
      // The post leaves the tags of its author's comment (and of the author's replies under a top-level one), read
      // alongside the counts; other comments' deletes never read the post.
      const untag = () =>
        data.listed || data.listedReplies
          ? this.posts.moveCommentTags(tx, comment.postId, { removed: id })
          : Promise.resolve<string[]>([]);
      if (comment.replyTo) {
        const parentShard = replyCount.randomKey(comment.replyTo);
        const [[post, parent], movedTags] = await Promise.all([tx.get<ShardData>([postShard, parentShard]), untag()]);
        tx.delete([commentKey(id)]);
        tx.upsert([commentCount.moved(postShard, post, -1), replyCount.moved(parentShard, parent, -1)]);
        return { comment, movedTags };
      }
      const [[post, ...shards], movedTags] = await Promise.all([
        tx.get<ShardData>([postShard, ...replyCount.keys(id)]),
        untag(),
      ]);
      const replies = shards.reduce((total, shard) => total + (shard?.data.size ?? 0), 0);
      tx.delete([commentKey(id), ...replyCount.keys(id)]);
      tx.upsert([commentCount.moved(postShard, post, -1 - replies)]);
      return { comment, movedTags };
    });
  }

  /** The comment, in a transaction; a reply of a deleted comment counts as gone. */
  private async live(tx: Transaction, id: string): Promise<{ comment: CommentRecord; data: CommentData }> {
    const [entity] = await tx.get<CommentData>([commentKey(id)]);
    if (!entity) {
      throw commentNotFound();
    }
    const comment = toRecord(entity);
    if (comment.replyTo) {
      const [parent] = await tx.get([commentKey(comment.replyTo)]);
      if (!parent) {
        throw commentNotFound();
      }
    }
    return { comment, data: entity.data };
  }

  /** What a deleted comment leaves: its replies, and the likes of it and of them (a task; safe to repeat). */
  async removeThread(id: string): Promise<void> {
    const postId = postIdOfComment(id);
    // Its own likes first: a retry after a failure further on still finds the replies to page through.
    await this.likers.write.removeOwner(id);
    for (let more = true; more;) {
      // A reply has no replies (nor reply counts): one delete per reply, a commit's worth per page.
      const page = await this.thread(postId, id, STORE_LIMITS.mutationsPerCommit);
      for (let i = 0; i < page.comments.length; i += 8) {
        await Promise.all(page.comments.slice(i, i + 8).map((reply) => this.likers.write.removeOwner(reply.id)));
      }
      await this.store.delete(page.comments.map((reply) => commentKey(reply.id)));
      more = page.cursor !== undefined;
    }
  }

  /** Every comment of a deleted post, their likes and counts: all named after the post, removed by key range. */
  async removePost(postId: string): Promise<void> {
    const { from, to } = commentRangeOf(postId);
    await deleteMatching(this.store, { kind: COMMENT_KIND, ancestor: postKey(postId) });
    for (const kind of ['CommentLike', 'CommentLikerBatch']) {
      await deleteMatching(this.store, {
        kind,
        filters: [
          { property: 'owner', op: '>=', value: from },
          { property: 'owner', op: '<', value: to },
        ],
      });
    }
    for (const kind of ['CommentLikeCount', 'ReplyCount']) {
      await deleteMatching(this.store, {
        kind,
        filters: [
          { property: KEY_PROPERTY, op: '>=', value: { kind, name: from } },
          { property: KEY_PROPERTY, op: '<', value: { kind, name: to } },
        ],
      });
    }
    await this.store.delete(commentCount.keys(postId));
  }
}

/** `thread` and `createdAt` are queried (a post's comments, a comment's replies); the rest is only read. */
const UNINDEXED = ['author', 'text', 'mentions', 'tags', 'listed', 'listedReplies'];

function toEntity(comment: CommentRecord, listed: boolean): Entity {
  const data: CommentData = {
    author: comment.author,
    text: comment.text,
    thread: comment.replyTo ?? '',
    mentions: JSON.stringify(comment.mentions),
    tags: comment.tags,
    createdAt: comment.createdAt,
    ...(listed ? { listed } : {}),
  };
  return { key: commentKey(comment.id), data, excludeFromIndexes: UNINDEXED };
}

function toRecord(entity: Entity<CommentData>): CommentRecord {
  const { author, text, thread, mentions, tags, createdAt } = entity.data;
  return {
    id: entity.key.name,
    postId: postIdOfComment(entity.key.name),
    author,
    text,
    replyTo: thread === '' ? null : thread,
    mentions: JSON.parse(mentions) as Mention[],
    tags: tags ?? [],
    createdAt,
  };
}
