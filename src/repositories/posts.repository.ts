import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors.js';
import type { StoredMedia } from '../keys/media.keys.js';
import { POST_KIND, UPLOAD_KIND, newPostId, postKey, uploadKey } from '../keys/post.keys.js';
import { tagCountMoves, tagDeltas } from '../keys/tag.keys.js';
import { lookupAll, type LookupPart } from '../store/lookup-plan.js';
import { resumeCursor } from '../store/query-page.js';
import { ShardedCounter } from '../store/sharded-counter.js';
import { Store } from '../store/store.js';
import type { Entity, Filter, Transaction } from '../store/store.types.js';
import type { Mention } from '../common/text-tags.js';

export interface UploadRecord {
  id: string;
  owner: string;
  objectName: string;
  contentType: string;
  contentLength: number;
  createdAt: Date;
  expiresAt: Date;
  /** The post made from this upload, once there is one. */
  postId: string | null;
}

export interface PostRecord {
  id: string;
  author: string;
  caption: string;
  /** The caption's hashtags (lowercase) and the users it mentions, as parsed when it was written. */
  tags: string[];
  /** The hashtags whose pages list the post: the caption's and those of its author's own comments on it. */
  listedTags: string[];
  mentions: Mention[];
  commentsEnabled: boolean;
  /** When the caption or the comments setting last changed; null if never. */
  editedAt: Date | null;
  /** The processed images, in order; empty for a post made before images were processed. */
  media: StoredMedia[];
  /** The one unprocessed image of such an older post. */
  legacyObjectName: string | null;
  /** The uploads the post was made from, in order. */
  uploadIds: string[];
  createdAt: Date;
}

/** What a new post is made of. */
export interface NewPost {
  author: string;
  caption: string;
  media: StoredMedia[];
  tags?: string[];
  mentions?: Mention[];
  commentsEnabled?: boolean;
}

/** A change of a post by its author: only what is sent changes. */
export interface PostChange {
  caption?: { text: string; tags: string[]; mentions: Mention[] };
  commentsEnabled?: boolean;
}

export interface PostPage {
  posts: PostRecord[];
  cursor?: string;
}

const uploadNotFound = (): DomainError => new DomainError(ErrorCode.UploadNotFound, 'upload not found');
const notOwner = (): DomainError => new DomainError(ErrorCode.NotUploadOwner, 'the upload belongs to another user');

/** While unpublished, an upload carries the time it expires in an indexed property the sweep queries. */
type UploadData = Omit<UploadRecord, 'id'> & { sweepAt?: Date };
/**
 * A post entity. `media` is JSON (Datastore's and the embedded store's values are scalars and lists of them);
 * posts made before images were processed have `uploadId`, `objectName` and `contentType` instead.
 */
type PostData = {
  author: string;
  caption: string;
  createdAt: Date;
  /** Indexed, for the tag pages: the caption's hashtags and those of the author's own comments (listedTags). */
  tags?: string[];
  /** The caption's hashtags; absent on posts stored before comments' hashtags counted (then `tags` is the caption's). */
  captionTags?: string[];
  /** JSON of OwnCommentTags: the author's comments on the post that carry hashtags. */
  ownCommentTags?: string;
  mentions?: string;
  commentsEnabled?: boolean;
  editedAt?: Date;
  media?: string;
  uploadIds?: string[];
  uploadId?: string;
  objectName?: string;
  contentType?: string;
};

/** The author's comments on their own post that have hashtags: comment id → its thread ('' when top-level), its tags. */
type OwnCommentTags = Record<string, { thread: string; tags: string[] }>;

/**
 * What the author's comments may add to a post's tags: comments with hashtags (past them, a comment's hashtags are
 * linked but list nothing), and tags listed in all (a comment's tags past it are left out). A commit then moves at
 * most the caption's 30 and these 60 counts, and the post stays small.
 */
export const MAX_TAGGED_COMMENTS = 20;
export const MAX_LISTED_TAGS = 60;

/** What a comment commit changes of its post's comment hashtags: the author's new comments, or a deleted comment. */
export interface CommentTagsChange {
  added?: readonly { id: string; thread: string; tags: readonly string[] }[];
  /** A deleted comment: its own tags go, and (a top-level one) those of the author's replies under it. */
  removed?: string;
}

/** A user's post count is the sum of a few shards, so no entity is written by every post of a busy author. */
const postCount = new ShardedCounter('PostCount', 4);

/** Post authors kept in memory (see authorOf); bounded so a long-lived instance does not grow without end. */
const AUTHORS_KEPT = 100_000;

/** An unpublished upload is removed this long after it was made. */
export const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;
/**
 * An upload can no longer be used this long before its sweep is due: a sweep (on any instance, whatever its clock)
 * that has listed it and is deleting its objects cannot meet a publish or avatar change that just made use of them.
 */
export const UPLOAD_USABLE_MARGIN_MS = 60 * 60 * 1000;

/** Throws upload_expired for an unpublished upload within UPLOAD_USABLE_MARGIN_MS of its sweep. */
function refuseExpiring(entity: Entity<UploadData>): void {
  const { sweepAt } = entity.data;
  if (sweepAt !== undefined && sweepAt.getTime() - UPLOAD_USABLE_MARGIN_MS <= Date.now()) {
    throw new DomainError(
      ErrorCode.UploadExpired,
      `upload ${entity.key.name} has expired (uploads are kept ${UPLOAD_LIFETIME_MS / 3_600_000 - UPLOAD_USABLE_MARGIN_MS / 3_600_000} hours)`,
    );
  }
}

function uploadEntity(id: string, data: UploadData): Entity {
  return { key: uploadKey(id), data, excludeFromIndexes: Object.keys(data).filter((name) => name !== 'sweepAt') };
}

let lastPostMs = 0;

/** Now, but strictly after this process's previous post: its posts never tie in newest-first order. */
function nextPostTime(): Date {
  lastPostMs = Math.max(Date.now(), lastPostMs + 1);
  return new Date(lastPostMs);
}

/** Uploads and posts: one upload makes at most one post, and the author's post count moves with it. */
@Injectable()
export class PostsRepository {
  private readonly authors = new Map<string, string>();

  constructor(private readonly store: Store) {}

  async createUpload(upload: UploadRecord): Promise<void> {
    const { id, ...data } = upload;
    await this.store.insert([
      uploadEntity(id, { ...data, sweepAt: new Date(data.createdAt.getTime() + UPLOAD_LIFETIME_MS) }),
    ]);
  }

  async findUpload(id: string): Promise<UploadRecord | undefined> {
    const [entity] = await this.store.get<UploadData>([uploadKey(id)]);
    return entity && toUpload(entity);
  }

  /** Unpublished uploads whose lifetime ended before `now`, oldest first. */
  async expiredUploads(now: Date, limit: number): Promise<UploadRecord[]> {
    const result = await this.store.query<UploadData>({
      kind: UPLOAD_KIND,
      filters: [{ property: 'sweepAt', op: '<', value: now }],
      orders: [{ property: 'sweepAt', direction: 'asc' }],
      limit,
    });
    return result.entities.map(toUpload);
  }

  /** Deletes the uploads among `ids` that are still unpublished and expired (a publish may have won the race). */
  removeExpiredUploads(ids: readonly string[], now: Date): Promise<number> {
    return this.store.runInTransaction(async (tx) => {
      const found = await tx.get<UploadData>(ids.map(uploadKey));
      const expired = found.filter(
        (entity): entity is Entity<UploadData> => entity?.data.sweepAt !== undefined && entity.data.sweepAt < now,
      );
      tx.delete(expired.map((entity) => entity.key));
      return expired.length;
    });
  }

  async findUploads(ids: readonly string[]): Promise<Map<string, UploadRecord>> {
    const found = await this.store.get<UploadData>(ids.map(uploadKey));
    return new Map(found.flatMap((entity) => (entity ? [[entity.key.name, toUpload(entity)]] : [])));
  }

  /**
   * The post these uploads already made (a retried publish), or undefined when none of them is published yet.
   * Throws upload_used when one of them is in another post, or in one that is not made of exactly these.
   */
  async publishedFrom(uploads: readonly UploadRecord[]): Promise<PostRecord | undefined> {
    const postIds = [...new Set(uploads.flatMap((upload) => (upload.postId ? [upload.postId] : [])))];
    if (postIds.length === 0) {
      return undefined;
    }
    const [entity] = await this.store.get<PostData>([postKey(postIds[0])]);
    return retriedPost(uploads, entity);
  }

  /**
   * Makes the post of these uploads (all of the author's), or returns the post they already made (a retry): never
   * two posts from one upload. Throws upload_not_found when an upload is gone, upload_used as publishedFrom.
   */
  publish(uploadIds: readonly string[], post: NewPost): Promise<{ post: PostRecord; created: boolean }> {
    return this.store.runInTransaction(async (tx) => {
      const found = await tx.get<UploadData>(uploadIds.map(uploadKey));
      const uploads = found.map((entity) => {
        if (!entity) {
          throw uploadNotFound();
        }
        return toUpload(entity);
      });
      const publishedIn = uploads.find((upload) => upload.postId)?.postId;
      if (publishedIn) {
        const [existing] = await tx.get<PostData>([postKey(publishedIn)]);
        return { post: retriedPost(uploads, existing), created: false };
      }
      found.forEach((entity) => refuseExpiring(entity!));
      const createdAt = nextPostTime();
      const id = newPostId(createdAt);
      const shard = postCount.randomKey(post.author);
      const tagMoves = tagCountMoves(tagDeltas([], post.tags ?? []));
      const [count, ...tagShards] = await tx.get<{ size: number }>([shard, ...tagMoves.keys]);
      const data: PostData = {
        author: post.author,
        caption: post.caption,
        createdAt,
        media: JSON.stringify(post.media),
        uploadIds: [...uploadIds],
        tags: post.tags ?? [],
        captionTags: post.tags ?? [],
        mentions: JSON.stringify(post.mentions ?? []),
        commentsEnabled: post.commentsEnabled ?? true,
      };
      tx.insert([postEntity(id, data)]);
      tx.upsert([
        ...found.map((entity) => {
          const { sweepAt: _published, ...kept } = entity!.data;
          return uploadEntity(entity!.key.name, { ...kept, postId: id });
        }),
        postCount.moved(shard, count, 1),
        ...tagMoves.write(tagShards),
      ]);
      return { post: toPost({ key: postKey(id), data }), created: true };
    });
  }

  /**
   * Takes an unpublished upload of `owner` for another use (an avatar) in the caller's transaction, so it can make no
   * post after it. Throws upload_not_found, not_upload_owner, or upload_used when a post has it.
   */
  async takeUpload(tx: Transaction, id: string, owner: string): Promise<UploadRecord> {
    const [entity] = await tx.get<UploadData>([uploadKey(id)]);
    if (!entity) {
      throw uploadNotFound();
    }
    const upload = toUpload(entity);
    if (upload.owner !== owner) {
      throw notOwner();
    }
    if (upload.postId) {
      throw new DomainError(ErrorCode.UploadUsed, `upload ${id} is already in a post`);
    }
    refuseExpiring(entity);
    tx.delete([entity.key]);
    return upload;
  }

  /** Of these uploads' objects, the ones a live post shows (posts published before images moved under media/). */
  async servedObjects(uploadIds: readonly string[]): Promise<Set<string>> {
    const [uploads] = await lookupAll(this.store, [
      {
        keys: [...new Set(uploadIds)].map(uploadKey),
        read: (entities) => (entities as (Entity<UploadData> | undefined)[]).flatMap((e) => (e ? [toUpload(e)] : [])),
      },
    ]);
    const published = uploads.filter((upload) => upload.postId !== null);
    const [posts] = await lookupAll(this.store, [this.postsLookup(published.map((upload) => upload.postId!))]);
    return new Set([...posts.values()].flatMap((post) => (post.legacyObjectName ? [post.legacyObjectName] : [])));
  }

  /**
   * Who wrote the post, from memory once seen: a post's author never changes and an id is never reused, so a hot
   * post's likes and comments check access to its author without reading the post each time. Undefined when the
   * post does not exist (a deleted one may still answer its author: what follows checks the post itself).
   */
  async authorOf(id: string): Promise<string | undefined> {
    const known = this.authors.get(id);
    if (known !== undefined) {
      return known;
    }
    const post = await this.find(id);
    if (post) {
      if (this.authors.size >= AUTHORS_KEPT) {
        this.authors.clear();
      }
      this.authors.set(id, post.author);
    }
    return post?.author;
  }

  async find(id: string): Promise<PostRecord | undefined> {
    const [posts] = await lookupAll(this.store, [this.postsLookup([id])]);
    return posts.get(id);
  }

  /** Posts by id, absent ones left out. */
  postsLookup(ids: readonly string[]): LookupPart<Map<string, PostRecord>> {
    return {
      keys: ids.map(postKey),
      read: (entities) =>
        new Map(
          (entities as (Entity<PostData> | undefined)[]).flatMap((entity) =>
            entity ? [[entity.key.name, toPost(entity)]] : [],
          ),
        ),
    };
  }

  /** A user's posts, newest first. */
  async byAuthor(author: string, limit: number, cursor?: string): Promise<PostPage> {
    const result = await this.store.query<PostData>({
      kind: POST_KIND,
      filters: [{ property: 'author', op: '=', value: author }],
      orders: [{ property: 'createdAt', direction: 'desc' }],
      limit,
      startCursor: cursor,
    });
    return {
      posts: result.entities.map(toPost),
      cursor: resumeCursor(result, limit),
    };
  }

  /** Posts whose caption has the tag, newest first (private authors' too: the caller filters). */
  async byTag(tag: string, limit: number, cursor?: string): Promise<PostPage> {
    return this.page([{ property: 'tags', op: '=', value: tag }], limit, cursor);
  }

  /** Every post, newest first (explore's recent posts, the ranking's last day). */
  async recent(limit: number, cursor?: string): Promise<PostPage> {
    return this.page([], limit, cursor);
  }

  private async page(filters: Filter[], limit: number, cursor?: string): Promise<PostPage> {
    const result = await this.store.query<PostData>({
      kind: POST_KIND,
      filters,
      orders: [{ property: 'createdAt', direction: 'desc' }],
      limit,
      startCursor: cursor,
    });
    return { posts: result.entities.map(toPost), cursor: resumeCursor(result, limit) };
  }

  postCountsLookup(authors: readonly string[]): LookupPart<Map<string, number>> {
    return postCount.countsLookup(authors);
  }

  /**
   * Changes what `change` sends of a post of `author`, and nothing else; sets `editedAt`. Throws post_not_found, or
   * not_post_author when someone else wrote it.
   */
  update(id: string, author: string, change: PostChange): Promise<PostRecord> {
    return this.store.runInTransaction(async (tx) => {
      const [entity] = await tx.get<PostData>([postKey(id)]);
      if (!entity) {
        throw new DomainError(ErrorCode.PostNotFound, 'post not found');
      }
      if (entity.data.author !== author) {
        throw new DomainError(ErrorCode.NotPostAuthor, 'only the author can change a post');
      }
      const data: PostData = { ...entity.data };
      if (change.caption && change.caption.text !== entity.data.caption) {
        data.caption = change.caption.text;
        data.captionTags = change.caption.tags;
        data.tags = listedTags(change.caption.tags, ownCommentTagsOf(entity.data));
        data.mentions = JSON.stringify(change.caption.mentions);
      }
      if (change.commentsEnabled !== undefined) {
        data.commentsEnabled = change.commentsEnabled;
      }
      const changed =
        data.caption !== entity.data.caption ||
        (data.commentsEnabled ?? true) !== (entity.data.commentsEnabled ?? true);
      if (!changed) {
        // Nothing new: no write, and the post is not marked edited.
        return toPost(entity);
      }
      data.editedAt = new Date();
      const tagMoves = tagCountMoves(tagDeltas(entity.data.tags ?? [], data.tags ?? []));
      const tagShards = await tx.get(tagMoves.keys);
      tx.upsert([postEntity(id, data), ...tagMoves.write(tagShards)]);
      return toPost({ key: postKey(id), data });
    });
  }

  /**
   * Lists the post under the hashtags of its author's own comments (as Instagram counts them), in the comment
   * commit's transaction: the post and the tag counts move with the comments. Returns the tags whose counts moved;
   * none when the post is gone or nothing changed. Other people's comments never come here.
   */
  async moveCommentTags(tx: Transaction, postId: string, change: CommentTagsChange): Promise<string[]> {
    const [entity] = await tx.get<PostData>([postKey(postId)]);
    if (!entity) {
      return [];
    }
    const own = ownCommentTagsOf(entity.data);
    let changed = false;
    const listed = new Set(listedTags(captionTagsOf(entity.data), own));
    for (const comment of change.added ?? []) {
      if (Object.keys(own).length >= MAX_TAGGED_COMMENTS) {
        break;
      }
      const kept = comment.tags.filter((tag) => listed.has(tag) || (listed.size < MAX_LISTED_TAGS && listed.add(tag)));
      if (kept.length > 0) {
        own[comment.id] = { thread: comment.thread, tags: kept };
        changed = true;
      }
    }
    for (const [id, comment] of Object.entries(own)) {
      if (change.removed !== undefined && (id === change.removed || comment.thread === change.removed)) {
        delete own[id];
        changed = true;
      }
    }
    if (!changed) {
      return [];
    }
    const before = entity.data.tags ?? [];
    const after = listedTags(captionTagsOf(entity.data), own);
    const deltas = tagDeltas(before, after);
    const tagMoves = tagCountMoves(deltas);
    const tagShards = await tx.get(tagMoves.keys);
    const data: PostData = {
      ...entity.data,
      captionTags: captionTagsOf(entity.data),
      tags: after,
      ownCommentTags: JSON.stringify(own),
    };
    tx.upsert([postEntity(postId, data), ...tagMoves.write(tagShards)]);
    return [...deltas].flatMap(([tag, delta]) => (delta === 0 ? [] : [tag]));
  }

  /**
   * Deletes a post of `author` with its upload, and counts it out. Throws post_not_found, or not_post_author when
   * someone else wrote it. Returns what was deleted, for the clean-up of what hangs off it.
   */
  remove(id: string, author: string): Promise<{ post: PostRecord; uploads: UploadRecord[] }> {
    return this.store.runInTransaction(async (tx) => {
      const [entity] = await tx.get<PostData>([postKey(id)]);
      if (!entity) {
        throw new DomainError(ErrorCode.PostNotFound, 'post not found');
      }
      if (entity.data.author !== author) {
        throw new DomainError(ErrorCode.NotPostAuthor, 'only the author can delete a post');
      }
      const post = toPost(entity);
      const shard = postCount.randomKey(author);
      const tagMoves = tagCountMoves(tagDeltas(post.listedTags, []));
      const [count, ...rest] = await tx.get([shard, ...tagMoves.keys, ...post.uploadIds.map(uploadKey)]);
      const uploads = rest.slice(tagMoves.keys.length);
      tx.delete([postKey(id), ...post.uploadIds.map(uploadKey)]);
      tx.upsert([
        postCount.moved(shard, count as Entity<{ size: number }> | undefined, -1),
        ...tagMoves.write(rest.slice(0, tagMoves.keys.length)),
      ]);
      const removed = (uploads as (Entity<UploadData> | undefined)[]).flatMap((upload) =>
        upload ? [toUpload(upload)] : [],
      );
      return { post, uploads: removed };
    });
  }
}

function captionTagsOf(data: PostData): string[] {
  return data.captionTags ?? data.tags ?? [];
}

function ownCommentTagsOf(data: PostData): OwnCommentTags {
  return data.ownCommentTags ? (JSON.parse(data.ownCommentTags) as OwnCommentTags) : {};
}

/** The tags a post is listed under, each once. */
function listedTags(captionTags: readonly string[], own: OwnCommentTags): string[] {
  return [...new Set([...captionTags, ...Object.values(own).flatMap((comment) => comment.tags)])];
}

/** `tags` stays indexed (the tag pages); the rest is read, never queried. */
function postEntity(id: string, data: PostData): Entity {
  return {
    key: postKey(id),
    data,
    excludeFromIndexes: [
      ...['caption', 'media', 'uploadIds', 'mentions', 'commentsEnabled', 'editedAt'],
      ...['captionTags', 'ownCommentTags'],
    ],
  };
}

function toUpload(entity: Entity<UploadData>): UploadRecord {
  const { sweepAt: _sweepAt, ...data } = entity.data;
  return { id: entity.key.name, ...data };
}

function toPost(entity: Entity<PostData>): PostRecord {
  const { author, caption, createdAt, media, uploadIds, uploadId, objectName } = entity.data;
  return {
    id: entity.key.name,
    author,
    caption,
    tags: captionTagsOf(entity.data),
    listedTags: entity.data.tags ?? [],
    mentions: entity.data.mentions ? (JSON.parse(entity.data.mentions) as Mention[]) : [],
    commentsEnabled: entity.data.commentsEnabled ?? true,
    editedAt: entity.data.editedAt ?? null,
    media: media ? (JSON.parse(media) as StoredMedia[]) : [],
    legacyObjectName: objectName ?? null,
    uploadIds: uploadIds ?? (uploadId ? [uploadId] : []),
    createdAt,
  };
}

/** The post a retried publish made, if it is made of exactly these uploads in this order. */
function retriedPost(uploads: readonly UploadRecord[], entity: Entity<PostData> | undefined): PostRecord {
  const post = entity && toPost(entity);
  const same =
    post !== undefined &&
    post.uploadIds.length === uploads.length &&
    uploads.every((upload, i) => upload.postId === post.id && post.uploadIds[i] === upload.id);
  if (!same) {
    const used = uploads.find((upload) => upload.postId)!;
    throw new DomainError(ErrorCode.UploadUsed, `upload ${used.id} is already in another post`);
  }
  return post;
}
