import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { userKey } from '../keys/user.keys.js';
import { Membership } from '../membership/membership.js';
import type { MemberBatch, MemberPage, MembershipChange, NewestSettings } from '../membership/membership.settings.js';
import { joinLookups, type LookupPart } from '../store/lookup-plan.js';
import { Store } from '../store/store.js';
import { followerTier, UsersRepository } from './users.repository.js';

const TIERS_KEPT = 100_000;

export interface FollowCounts {
  followerCount: number;
  followingCount: number;
}

/** Who follows whom: follower batches of each user, a Follow marker per pair, sharded counts both ways. */
@Injectable()
export class FollowsRepository {
  private readonly followers: Membership<NewestSettings>;

  /** The follower tier this process last stored per user: a follow writes the user only when it changes. */
  private readonly tiers = new Map<string, number>();
  private readonly tierWrites = new Map<string, Promise<unknown>>();

  constructor(
    store: Store,
    config: AppConfig,
    private readonly users: UsersRepository,
  ) {
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
  async setFollowing(follower: string, followee: string, following: boolean, tell = false): Promise<MembershipChange> {
    const notice = tell && following ? { recipient: followee, type: 'follow' as const } : undefined;
    const change = await this.followers.write.change(followee, follower, following, notice);
    if (change.changed) {
      await this.keepTier(followee, change.count);
    }
    return change;
  }

  /**
   * Stores the followee's popularity tier (search and suggestions order by it) when it moved: once per crossing of
   * a power of two, never on every follow of a popular user (then one count lookup and one write). Best effort: a
   * lost write is redone by the next follow.
   */
  private async keepTier(userId: string, count: number): Promise<void> {
    const tier = followerTier(count);
    if (this.tiers.get(userId) === tier) {
      return;
    }
    if (this.tiers.size >= TIERS_KEPT) {
      this.tiers.clear();
    }
    this.tiers.set(userId, tier);
    // One write at a time per user, each from the count read when its turn comes: concurrent follows' counts may
    // arrive out of order, a count read after them all cannot.
    const previous = this.tierWrites.get(userId) ?? Promise.resolve();
    const write = previous
      .then(() => this.followers.read.counts([userId]))
      .then((counts) => {
        const now = followerTier(counts.get(userId) ?? 0);
        this.tiers.set(userId, now);
        return this.users.setTier(userId, now);
      })
      .catch(() => this.tiers.delete(userId))
      .finally(() => {
        if (this.tierWrites.get(userId) === write) {
          this.tierWrites.delete(userId);
        }
      });
    this.tierWrites.set(userId, write);
    await write;
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

  /** How many follow each user (one lookup of the counter shards). */
  followerCounts(userIds: readonly string[]): Promise<Map<string, number>> {
    return this.followers.read.counts(userIds);
  }

  /** How many follow each user, from the counter shards. */
  followerCountsLookup(userIds: readonly string[]): LookupPart<Map<string, number>> {
    return this.followers.read.countsLookup(userIds);
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
