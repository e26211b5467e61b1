import { Injectable } from '@nestjs/common';
import { RECEIVER_KIND, postKey, receiverKey } from '../keys/post.keys.js';
import { deleteMatching } from '../store/delete-matching.js';
import { resumeCursor } from '../store/query-page.js';
import { Store } from '../store/store.js';
import { chunkForCommits } from '../store/store.limits.js';
import { STORE_LIMITS, type Entity, type Key } from '../store/store.types.js';

/** A post as the fan-out needs it. */
export interface PublishedPost {
  readonly id: string;
  readonly author: string;
  readonly createdAt: Date;
}

export interface ReceiverGroup {
  /** Unique per post: a retry of the same fan-out writes the same keys. */
  readonly name: string;
  readonly members: readonly string[];
}

export interface TimelineEntries {
  /** Posts newest first, each once (a post reaches a reader through one receiver or several). */
  readonly posts: { readonly id: string; readonly author: string }[];
  readonly cursor?: string;
  /** The post the page ended on, for the next page's `after`. */
  readonly last?: string;
}

type ReceiverData = { receivers: string[]; createdAt: Date };

/**
 * PostReceiver entities under each post: who sees it in their timeline. One per follower batch of the author plus
 * one for the author, and one per later follower who got the post by backfill. Keys are deterministic, so a
 * repeated fan-out rewrites the same entities instead of adding more.
 */
@Injectable()
export class ReceiversRepository {
  constructor(private readonly store: Store) {}

  /** Writes the receivers of a post, split into commits within Datastore's limits; returns how many. */
  async fanOut(post: PublishedPost, groups: readonly ReceiverGroup[]): Promise<number> {
    const entities = groups.map((group) => receiver(post.id, group.name, group.members, post.createdAt));
    await Promise.all(chunkForCommits(entities).map((piece) => this.store.upsert(piece)));
    return entities.length;
  }

  /** The author's own receiver: their post is in their timeline as soon as it is published. */
  async deliverToAuthor(post: PublishedPost): Promise<void> {
    await this.store.upsert([receiver(post.id, `${post.author}:self`, [post.author], post.createdAt)]);
  }

  /** Puts earlier posts into a new follower's timeline. */
  async backfill(follower: string, posts: readonly PublishedPost[]): Promise<void> {
    const entities = posts.map((post) => receiver(post.id, `${post.author}:f:${follower}`, [follower], post.createdAt));
    await Promise.all(chunkForCommits(entities).map((piece) => this.store.upsert(piece)));
  }

  /** How many receivers a post has (what a fan-out wrote). */
  async countFor(postId: string): Promise<number> {
    return (await this.keysOf(postId, STORE_LIMITS.keysPerLookup)).length;
  }

  removeFor(postId: string): Promise<void> {
    return deleteMatching(this.store, { kind: RECEIVER_KIND, ancestor: postKey(postId) });
  }

  /**
   * A reader's timeline, newest first: a keys-only query on the receivers that name them. `after` is the last
   * post id of the previous page, so a post reached through two receivers that straddle pages shows once.
   */
  async page(reader: string, limit: number, cursor?: string, after?: string): Promise<TimelineEntries> {
    const result = await this.store.query({
      kind: RECEIVER_KIND,
      filters: [{ property: 'receivers', op: '=', value: reader }],
      orders: [{ property: 'createdAt', direction: 'desc' }],
      limit,
      startCursor: cursor,
      keysOnly: true,
    });
    const posts: { id: string; author: string }[] = [];
    let previous = after;
    for (const { key } of result.entities) {
      const id = key.parent!.name;
      if (id !== previous) {
        // Every receiver's name starts with its post's author (see fanOut and backfill).
        posts.push({ id, author: key.name.slice(0, key.name.indexOf(':')) });
      }
      previous = id;
    }
    return {
      posts,
      cursor: resumeCursor(result, limit),
      last: previous,
    };
  }

  private async keysOf(postId: string, limit: number): Promise<Key[]> {
    const result = await this.store.query({ kind: RECEIVER_KIND, ancestor: postKey(postId), limit, keysOnly: true });
    return result.entities.map((entity) => entity.key);
  }
}

function receiver(postId: string, name: string, members: readonly string[], createdAt: Date): Entity {
  const data: ReceiverData = { receivers: [...members], createdAt };
  return { key: receiverKey(postId, name), data };
}
