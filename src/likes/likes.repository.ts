import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { type MemberPage, type MembershipChange, MembershipRepository } from '../membership/membership.repository.js';
import { postKey } from '../posts/posts.repository.js';
import type { LookupPart } from '../store/lookup-plan.js';
import { Store } from '../store/store.js';

/** Who likes which post: liker batches of each post, a Like marker per (post, user), sharded counts. */
@Injectable()
export class LikesRepository {
  private readonly likers: MembershipRepository;

  constructor(store: Store, config: AppConfig) {
    this.likers = new MembershipRepository(store, {
      kinds: { batch: 'LikerBatch', marker: 'Like', counter: 'LikeCount' },
      ownerKey: postKey,
      listOrder: 'stable',
      batchCeiling: config.likerBatchSize,
    });
  }

  /** Resolves once stored; rejects with OwnerNotFoundError when the post does not exist (or was deleted). */
  setLiked(postId: string, userId: string, liked: boolean): Promise<MembershipChange> {
    return this.likers.change(postId, userId, liked);
  }

  likersOf(postId: string, limit: number, cursor?: string): Promise<MemberPage> {
    return this.likers.members(postId, limit, cursor);
  }

  /** Like counts of many posts: a few small counter shards each, never the batches. */
  countsLookup(postIds: readonly string[]): LookupPart<Map<string, number>> {
    return this.likers.countsLookup(postIds);
  }

  /** Whether `userId` likes each post, by marker key. */
  likedLookup(userId: string, postIds: readonly string[]): LookupPart<boolean[]> {
    return this.likers.isMemberLookup(postIds.map((postId) => ({ owner: postId, member: userId })));
  }

  likerBatches(postId: string) {
    return this.likers.batches(postId);
  }

  removePost(postId: string): Promise<void> {
    return this.likers.removeOwner(postId);
  }
}
