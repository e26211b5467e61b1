import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import {
  type MemberBatch,
  type MemberPage,
  type MembershipChange,
  MembershipRepository,
} from '../membership/membership.repository.js';
import { joinLookups, type LookupPart } from '../store/lookup-plan.js';
import { Store } from '../store/store.js';
import { userKey } from '../users/users.repository.js';

export interface FollowCounts {
  followerCount: number;
  followingCount: number;
}

/** Who follows whom: follower batches of each user, a Follow marker per pair, sharded counts. */
@Injectable()
export class FollowsRepository {
  private readonly followers: MembershipRepository;

  constructor(store: Store, config: AppConfig) {
    this.followers = new MembershipRepository(store, {
      kinds: { batch: 'FollowerBatch', marker: 'Follow', counter: 'FollowerCount', memberCounter: 'FollowingCount' },
      ownerKey: userKey,
      listOrder: 'newest',
      batchCeiling: config.followerBatchSize,
    });
  }

  /** Rejects with OwnerNotFoundError when the followee does not exist. */
  setFollowing(follower: string, followee: string, following: boolean): Promise<MembershipChange> {
    return this.followers.change(followee, follower, following);
  }

  followersOf(userId: string, limit: number, cursor?: string): Promise<MemberPage> {
    return this.followers.members(userId, limit, cursor);
  }

  followedBy(userId: string, limit: number, cursor?: string): Promise<MemberPage> {
    return this.followers.memberships(userId, limit, cursor);
  }

  /** The follower batches a post of this author fans out to. */
  followerBatches(userId: string): Promise<MemberBatch[]> {
    return this.followers.batches(userId);
  }

  countsLookup(userIds: readonly string[]): LookupPart<Map<string, FollowCounts>> {
    const counts = joinLookups([this.followers.countsLookup(userIds), this.followers.memberCountsLookup(userIds)]);
    return {
      keys: counts.keys,
      read: (entities) => {
        const [followers, following] = counts.read(entities);
        return new Map(
          userIds.map((id) => [id, { followerCount: followers.get(id) ?? 0, followingCount: following.get(id) ?? 0 }]),
        );
      },
    };
  }

  /** Whether `follower` follows each of `followees`, by marker key. */
  isFollowingLookup(follower: string, followees: readonly string[]): LookupPart<boolean[]> {
    return this.followers.isMemberLookup(followees.map((followee) => ({ owner: followee, member: follower })));
  }
}
