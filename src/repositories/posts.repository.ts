import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors.js';
import { POST_KIND, UPLOAD_KIND, newPostId, postKey, uploadKey, uploadObjectName } from '../keys/post.keys.js';
import { lookupAll, type LookupPart } from '../store/lookup-plan.js';
import { resumeCursor } from '../store/query-page.js';
import { ShardedCounter } from '../store/sharded-counter.js';
import { Store } from '../store/store.js';
import type { Entity } from '../store/store.types.js';

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
  objectName: string;
  contentType: string;
  createdAt: Date;
}

export interface PostPage {
  posts: PostRecord[];
  cursor?: string;
}

const uploadNotFound = (): DomainError => new DomainError(ErrorCode.UploadNotFound, 'upload not found');

/** While unpublished, an upload carries the time it expires in an indexed property the sweep queries. */
type UploadData = Omit<UploadRecord, 'id'> & { sweepAt?: Date };
type PostData = Omit<PostRecord, 'id'> & { uploadId: string };

/** A user's post count is the sum of a few shards, so no entity is written by every post of a busy author. */
const postCount = new ShardedCounter('PostCount', 4);

/** An unpublished upload is removed this long after it was made. */
export const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;

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

  /**
   * Makes the post of an upload, or returns the post it already made (a retry): never two posts from one upload.
   * Throws upload_not_found when the upload is gone.
   */
  publish(uploadId: string, caption: string, objectName: string): Promise<{ post: PostRecord; created: boolean }> {
    return this.store.runInTransaction(async (tx) => {
      const [upload] = await tx.get<UploadData>([uploadKey(uploadId)]);
      if (!upload) {
        throw uploadNotFound();
      }
      if (upload.data.postId) {
        const [existing] = await tx.get<PostData>([postKey(upload.data.postId)]);
        if (!existing) {
          throw uploadNotFound();
        }
        return { post: toPost(existing), created: false };
      }
      const createdAt = nextPostTime();
      const id = newPostId(createdAt);
      const shard = postCount.randomKey(upload.data.owner);
      const [count] = await tx.get<{ size: number }>([shard]);
      const data: PostData = {
        author: upload.data.owner,
        caption,
        objectName,
        contentType: upload.data.contentType,
        createdAt,
        uploadId,
      };
      tx.insert([{ key: postKey(id), data, excludeFromIndexes: ['caption', 'objectName', 'contentType', 'uploadId'] }]);
      const { sweepAt: _published, ...kept } = upload.data;
      tx.upsert([uploadEntity(uploadId, { ...kept, postId: id }), postCount.moved(shard, count, 1)]);
      return { post: { id, ...stripUpload(data) }, created: true };
    });
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
    return new Set([...posts.values()].map((post) => post.objectName));
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

  postCountsLookup(authors: readonly string[]): LookupPart<Map<string, number>> {
    return postCount.countsLookup(authors);
  }

  /**
   * Deletes a post of `author` with its upload, and counts it out. Throws post_not_found, or not_post_author when
   * someone else wrote it. Returns what was deleted, for the clean-up of what hangs off it.
   */
  remove(id: string, author: string): Promise<{ post: PostRecord; uploadObjectName: string }> {
    return this.store.runInTransaction(async (tx) => {
      const [entity] = await tx.get<PostData>([postKey(id)]);
      if (!entity) {
        throw new DomainError(ErrorCode.PostNotFound, 'post not found');
      }
      if (entity.data.author !== author) {
        throw new DomainError(ErrorCode.NotPostAuthor, 'only the author can delete a post');
      }
      const shard = postCount.randomKey(author);
      const [count] = await tx.get<{ size: number }>([shard]);
      tx.delete([postKey(id), uploadKey(entity.data.uploadId)]);
      tx.upsert([postCount.moved(shard, count, -1)]);
      return { post: toPost(entity), uploadObjectName: uploadObjectName(author, entity.data.uploadId) };
    });
  }
}

function toUpload(entity: Entity<UploadData>): UploadRecord {
  const { sweepAt: _sweepAt, ...data } = entity.data;
  return { id: entity.key.name, ...data };
}

function toPost(entity: Entity<PostData>): PostRecord {
  return { id: entity.key.name, ...stripUpload(entity.data) };
}

function stripUpload({ uploadId: _uploadId, ...post }: PostData): Omit<PostRecord, 'id'> {
  return post;
}
