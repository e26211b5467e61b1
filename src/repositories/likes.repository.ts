import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { postKey } from '../keys/post.keys.js';
import type { Notice } from '../membership/membership-notices.js';
import { Membership } from '../membership/membership.js';
import type { MemberPage, MembershipChange, StableSettings } from '../membership/membership.settings.js';
import type { LookupPart } from '../store/lookup-plan.js';
import { Store } from '../store/store.js';

/** Who likes which post: liker batches of each post, a Like marker per (post, user), sharded counts. */
@Injectable()
export class LikesRepository {
  private readonly likers: Membership<StableSettings>;

  constructor(store: Store, config: AppConfig) {
    this.likers = new Membership(store, {
      kinds: { batch: 'LikerBatch', marker: 'Like', counter: 'LikeCount' },
      ownerKey: postKey,
      ownerMissing: () => new DomainError(ErrorCode.PostNotFound, 'post not found'),
      listOrder: 'stable',
      batchCeiling: config.likerBatchSize,
    });
  }

  /**
   * Resolves once stored; a like with a notice counts in the author's notification in the same commit. Throws
   * post_not_found when the post does not exist (or was deleted).
   */
  setLiked(postId: string, userId: string, liked: boolean, notice?: Notice): Promise<MembershipChange> {
    return this.likers.write.change(postId, userId, liked, notice);
  }

  /** The notification row each like is counted in. */
  noticeLookup(likes: readonly { postId: string; userId: string }[]): LookupPart<(string | undefined)[]> {
    return this.likers.read.noticeLookup(likes.map(({ postId, userId }) => ({ owner: postId, member: userId })));
  }

  likersOf(postId: string, limit: number, cursor?: string): Promise<MemberPage> {
    return this.likers.read.members(postId, limit, cursor);
  }

  /** Like counts of many posts: a few small counter shards each, never the batches. */
  countsLookup(postIds: readonly string[]): LookupPart<Map<string, number>> {
    return this.likers.read.countsLookup(postIds);
  }

  /** Whether `userId` likes each post, by marker key. */
  likedLookup(userId: string, postIds: readonly string[]): LookupPart<boolean[]> {
    return this.likers.read.isMemberLookup(postIds.map((postId) => ({ owner: postId, member: userId })));
  }

  likerBatches(postId: string) {
    return this.likers.read.batches(postId);
  }

  removePost(postId: string): Promise<void> {
    return this.likers.write.removeOwner(postId);
  }
}
