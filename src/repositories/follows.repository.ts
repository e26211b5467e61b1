import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { userKey } from '../keys/user.keys.js';
import { Membership } from '../membership/membership.js';
import type { MemberBatch, MemberPage, MembershipChange, NewestSettings } from '../membership/membership.settings.js';
import { joinLookups, type LookupPart } from '../store/lookup-plan.js';
import { Store } from '../store/store.js';

export interface FollowCounts {
  followerCount: number;
  followingCount: number;
}

/** Who follows whom: follower batches of each user, a Follow marker per pair, sharded counts both ways. */
@Injectable()
export class FollowsRepository {
  private readonly followers: Membership<NewestSettings>;

  constructor(store: Store, config: AppConfig) {
    this.followers = new Membership(store, {
      kinds: { batch: 'FollowerBatch', marker: 'Follow', counter: 'FollowerCount' },
      memberCounter: 'FollowingCount',
      ownerKey: userKey,
      ownerMissing: () => new DomainError(ErrorCode.UserNotFound, 'user not found'),
      listOrder: 'newest',
      batchCeiling: config.followerBatchSize,
    });
  }

  /** Throws user_not_found when the followee does not exist. `tell`: the followee is notified in the same commit. */
  setFollowing(follower: string, followee: string, following: boolean, tell = false): Promise<MembershipChange> {
    const notice = tell && following ? { recipient: followee, type: 'follow' as const } : undefined;
    return this.followers.write.change(followee, follower, following, notice);
  }

  /** The notification row each follow is counted in. */
  noticeLookup(follows: readonly { follower: string; followee: string }[]): LookupPart<(string | undefined)[]> {
    return this.followers.read.noticeLookup(
      follows.map(({ follower, followee }) => ({ owner: followee, member: follower })),
    );
  }

  followersOf(userId: string, limit: number, cursor?: string): Promise<MemberPage> {
    return this.followers.read.members(userId, limit, cursor);
  }

  followedBy(userId: string, limit: number, cursor?: string): Promise<MemberPage> {
    return this.followers.read.memberships(userId, limit, cursor);
  }

  /** A page of the follower batches a post of this author fans out to (one step of the fan-out). */
  followerBatchesPage(userId: string, cursor?: string): Promise<{ batches: MemberBatch[]; cursor?: string }> {
    return this.followers.read.batchesPage(userId, cursor);
  }

  /** The follower batches a post of this author fans out to. */
  followerBatches(userId: string): Promise<MemberBatch[]> {
    return this.followers.read.batches(userId);
  }

  countsLookup(userIds: readonly string[]): LookupPart<Map<string, FollowCounts>> {
    const counts = joinLookups([
      this.followers.read.countsLookup(userIds),
      this.followers.read.memberCountsLookup(userIds),
    ]);
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

  /** Whether each of `followers` follows `followee`, by marker key. */
  followersLookup(followee: string, followers: readonly string[]): LookupPart<boolean[]> {
    return this.followers.read.isMemberLookup(followers.map((follower) => ({ owner: followee, member: follower })));
  }

  /** Whether `follower` follows each of `followees`, by marker key. */
  isFollowingLookup(follower: string, followees: readonly string[]): LookupPart<boolean[]> {
    return this.followers.read.isMemberLookup(followees.map((followee) => ({ owner: followee, member: follower })));
  }
}
