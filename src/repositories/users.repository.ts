import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors.js';
import type { StoredAvatar } from '../keys/media.keys.js';
import { searchTermKey, USER_TERM_KIND, userKey, usernameKey, userTermKey } from '../keys/user.keys.js';
import { RESERVED_NAME } from '../common/key-name.js';
import { userSearchTerms } from '../common/search-text.js';
import { lookupAll, type LookupPart } from '../store/lookup-plan.js';
import { resumeCursor } from '../store/query-page.js';
import { EntityExistsError } from '../store/store.errors.js';
import { Store } from '../store/store.js';
import type { Entity, Transaction } from '../store/store.types.js';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  /** The Google account's picture, shown until the user sets an avatar of their own. */
  pictureUrl: string | null;
  avatar: StoredAvatar | null;
  bio: string;
  email: string | null;
  /** Only followers (and the user) see a private account's posts and lists; a follow becomes a request. */
  private: boolean;
  /** Suspended by an admin: their writes are refused and others no longer see them. */
  suspended: boolean;
  createdAt: Date;
}

/** A user found by search, with the popularity tier it was ordered by. */
export type SearchHit = UserRecord & { tier: number };

/** 0 for no follower, else 1 + floor(log2(count)): changes only when a count crosses a power of two. */
export function followerTier(count: number): number {
  return count <= 0 ? 0 : 1 + Math.floor(Math.log2(count));
}

/** Whether a username or search term could be stored: never one of Datastore's reserved `__x__` names. */
function isPossibleName(name: string): boolean {
  return name !== '' && !RESERVED_NAME.test(name);
}

/** The fewest followers a tier stands for: its count's lower bound. */
export function leastFollowers(tier: number): number {
  return tier <= 1 ? tier : 2 ** (tier - 1);
}

export interface NewUser {
  id: string;
  displayName: string;
  pictureUrl: string | null;
  email: string | null;
  usernameCandidates: readonly string[];
}

export type ProfileChanges = Partial<Pick<UserRecord, 'username' | 'displayName' | 'bio' | 'avatar' | 'private'>>;

/** What an update did: the user now, and the avatar it replaced or removed (whose variants can go). */
export interface UpdatedUser {
  user: UserRecord;
  replacedAvatar: StoredAvatar | null;
  /** The account was private and is public now: its pending follow requests are to be approved. */
  madePublic: boolean;
}

/** How far the walk that gives users stored before search their terms has come (see SearchIndexer). */
const SEARCH_INDEX_STATE = { kind: 'JobState', name: 'search-index' };

const usernameTaken = (): DomainError => new DomainError(ErrorCode.UsernameTaken, 'username is taken');

/** The stored user: `avatar` is JSON; older entities may lack any field (see withDefaults). */
type UserData = {
  username: string;
  displayName: string;
  pictureUrl: string | null;
  avatar: string | null;
  bio: string;
  email: string | null;
  private: boolean;
  suspended: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** How popular: 0 for no follower, else 1 + floor(log2(followers)); orders search and suggestions. */
  tier: number;
};

const UNINDEXED: (keyof UserData)[] = ['displayName', 'pictureUrl', 'avatar', 'bio', 'email', 'private', 'suspended'];

@Injectable()
export class UsersRepository {
  constructor(private readonly store: Store) {}

  async findById(id: string): Promise<UserRecord | undefined> {
    const [entity] = await this.store.get<UserData>([userKey(id)]);
    return entity && toRecord(entity);
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, UserRecord>> {
    const [found] = await lookupAll(this.store, [this.recordsLookup(ids)]);
    return found;
  }

  /** Users by id (unknown ids left out), to look up together with what a page shows of them. */
  recordsLookup(ids: readonly string[]): LookupPart<Map<string, UserRecord>> {
    const unique = [...new Set(ids)];
    return {
      keys: unique.map(userKey),
      read: (entities) =>
        new Map(
          (entities as (Entity<UserData> | undefined)[]).flatMap((entity) =>
            entity ? [[entity.key.name, toRecord(entity)]] : [],
          ),
        ),
    };
  }

  /** The users these usernames name (by their claims, in one lookup), in the order given; unknown names left out. */
  async mentioned(usernames: readonly string[]): Promise<{ id: string; username: string }[]> {
    const possible = usernames.filter(isPossibleName);
    const claims = await this.store.get<{ userId: string }>(possible.map(usernameKey));
    return possible.flatMap((username, i) => {
      const claim = claims[i];
      return claim ? [{ id: claim.data.userId, username }] : [];
    });
  }

  /** The id of the user who holds this username, by its claim. */
  async idOfUsername(username: string): Promise<string | undefined> {
    if (!isPossibleName(username)) {
      return undefined;
    }
    const [claim] = await this.store.get<{ userId: string }>([usernameKey(username)]);
    return claim?.data.userId;
  }

  /**
   * Creates the user with the first free username candidate, or returns the user if a concurrent first
   * call created it already: exactly one User per id whatever the race.
   */
  async create(user: NewUser): Promise<UserRecord> {
    try {
      return await this.store.runInTransaction(async (tx) => {
        const [existing, ...claims] = await tx.get<UserData>([
          userKey(user.id),
          ...user.usernameCandidates.map(usernameKey),
        ]);
        if (existing) {
          return toRecord(existing);
        }
        const username = user.usernameCandidates.find((_, i) => !claims[i]);
        if (!username) {
          throw usernameTaken();
        }
        const now = new Date();
        const data: UserData = {
          username,
          displayName: user.displayName,
          pictureUrl: user.pictureUrl,
          avatar: null,
          bio: '',
          email: user.email,
          private: false,
          suspended: false,
          createdAt: now,
          updatedAt: now,
          tier: 0,
        };
        tx.insert([{ key: usernameKey(username), data: { userId: user.id } }]);
        writeUser(tx, user.id, undefined, data);
        return toRecord({ key: userKey(user.id), data });
      });
    } catch (error) {
      const winner = error instanceof EntityExistsError ? await this.findById(user.id) : undefined;
      if (winner) {
        return winner;
      }
      throw error;
    }
  }

  /**
   * Applies the changes; a new username is claimed and the old one freed in the same transaction. A new avatar runs
   * `takeUpload` in that transaction too (it takes the upload the avatar is made from), unless it is the avatar the
   * user has already (a retry).
   */
  async update(
    id: string,
    changes: ProfileChanges,
    takeUpload?: (tx: Transaction) => Promise<unknown>,
  ): Promise<UpdatedUser | undefined> {
    try {
      return await this.store.runInTransaction((tx) => this.applyChanges(tx, id, changes, takeUpload));
    } catch (error) {
      // Another user claimed the name between this transaction's read and its commit.
      throw error instanceof EntityExistsError ? usernameTaken() : error;
    }
  }

  /**
   * The users with the search term `term` (a normalized prefix) and their tiers, most followed first; suspended ones
   * too (the caller filters). One bounded ancestor query of small entities (a tier each).
   */
  async search(term: string, limit: number): Promise<{ id: string; tier: number }[]> {
    if (!isPossibleName(term)) {
      return [];
    }
    const result = await this.store.query<{ tier?: number }>({
      kind: USER_TERM_KIND,
      ancestor: searchTermKey(term),
      orders: [{ property: 'tier', direction: 'desc' }],
      limit,
    });
    return result.entities.map((entity) => ({ id: entity.key.name, tier: entity.data.tier ?? 0 }));
  }

  /** The most followed users by tier: suggestions for someone who follows nobody yet. */
  async popular(limit: number): Promise<SearchHit[]> {
    const result = await this.store.query<UserData>({
      kind: 'User',
      orders: [{ property: 'tier', direction: 'desc' }],
      limit,
    });
    return result.entities.map((entity) => ({ ...toRecord(entity), tier: withDefaults(entity.data).tier }));
  }

  /**
   * The ids of one page of users, in key order, that lack their search terms or tier (stored before search): a
   * bounded query and one lookup of each one's first term. `cursor` resumes after the last page.
   */
  async unindexedPage(limit: number, cursor?: string): Promise<{ ids: string[]; cursor?: string }> {
    const result = await this.store.query<Partial<UserData>>({ kind: 'User', limit, startCursor: cursor });
    const users = result.entities.map(({ key, data }) => {
      const [term] = userSearchTerms(withDefaults(data).username, withDefaults(data).displayName);
      return { id: key.name, term, tiered: typeof data.tier === 'number' };
    });
    const termed = users.filter((user) => user.term !== undefined);
    const found = await this.store.get(termed.map((user) => userTermKey(user.term, user.id)));
    const termless = new Set(termed.filter((_, i) => !found[i]).map((user) => user.id));
    const ids = users.filter((user) => termless.has(user.id) || !user.tiered).map((user) => user.id);
    return { ids, cursor: resumeCursor(result, limit) };
  }

  /** Writes a user's tier and every search term (a repeat rewrites the same entities); nothing for no such user. */
  async index(id: string, tier: number): Promise<void> {
    await this.store.runInTransaction(async (tx) => {
      const [current] = await tx.get<UserData>([userKey(id)]);
      if (current) {
        writeUser(tx, id, undefined, { ...withDefaults(current.data), tier });
      }
    });
  }

  /** Whether a walk of every user has indexed them for search at `version` of the terms. */
  async searchIndexDone(version: number): Promise<boolean> {
    const [state] = await this.store.get([SEARCH_INDEX_STATE]);
    return state?.data.version === version;
  }

  async markSearchIndexDone(version: number): Promise<void> {
    await this.store.upsert([{ key: SEARCH_INDEX_STATE, data: { version, doneAt: new Date() } }]);
  }

  /** Stores how popular the user is now (a follow crossed a power of two); a repeat changes nothing. */
  async setTier(id: string, tier: number): Promise<void> {
    await this.store.runInTransaction(async (tx) => {
      const [current] = await tx.get<UserData>([userKey(id)]);
      if (!current || withDefaults(current.data).tier === tier) {
        return;
      }
      writeUser(tx, id, withDefaults(current.data), { ...withDefaults(current.data), tier });
    });
  }

  /** Suspends or lifts a suspension; undefined when there is no such user. */
  async setSuspended(id: string, suspended: boolean): Promise<UserRecord | undefined> {
    return this.store.runInTransaction(async (tx) => {
      const [current] = await tx.get<UserData>([userKey(id)]);
      if (!current) {
        return undefined;
      }
      const data: UserData = { ...withDefaults(current.data), suspended, updatedAt: new Date() };
      tx.upsert([userEntity(id, data)]);
      return toRecord({ key: userKey(id), data });
    });
  }

  private async applyChanges(
    tx: Transaction,
    id: string,
    { avatar, ...changes }: ProfileChanges,
    takeUpload?: (tx: Transaction) => Promise<unknown>,
  ): Promise<UpdatedUser | undefined> {
    const wanted = changes.username;
    const [current, claim] = await tx.get(wanted ? [userKey(id), usernameKey(wanted)] : [userKey(id)]);
    if (!current) {
      return undefined;
    }
    const stored = withDefaults(current.data);
    const before = parseAvatar(stored.avatar);
    const sameAvatar = avatar === undefined || (avatar?.uploadId ?? null) === (before?.uploadId ?? null);
    if (!sameAvatar && avatar && takeUpload) {
      await takeUpload(tx);
    }
    const renamed = wanted !== undefined && wanted.toLowerCase() !== stored.username.toLowerCase();
    if (renamed && claim && claim.data.userId !== id) {
      throw usernameTaken();
    }
    // Only what was sent: a field the request left out (or sent as undefined) keeps its stored value.
    const sent = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    const data: UserData = {
      ...stored,
      ...sent,
      avatar: sameAvatar ? stored.avatar : JSON.stringify(avatar),
      updatedAt: new Date(),
    };
    writeUser(tx, id, stored, data);
    if (renamed) {
      tx.upsert([{ key: usernameKey(data.username), data: { userId: id } }]);
      if (stored.username !== '') {
        tx.delete([usernameKey(stored.username)]);
      }
    }
    return {
      user: toRecord({ key: userKey(id), data }),
      replacedAvatar: sameAvatar ? null : before,
      madePublic: stored.private && !data.private,
    };
  }
}

function userEntity(id: string, data: UserData): Entity {
  return { key: userKey(id), data, excludeFromIndexes: UNINDEXED };
}

/**
 * Writes the user in `tx` with its search terms: one small `UserTerm` entity per normalized prefix, under that
 * term's key, holding the user's tier. A search is then an ancestor query of one term's users, by tier: it reads
 * what matches, never the other users. Terms the user no longer has go in the same commit.
 */
function writeUser(tx: Transaction, id: string, before: UserData | undefined, after: UserData): void {
  const old = new Set(before ? userSearchTerms(before.username, before.displayName) : []);
  const now = userSearchTerms(after.username, after.displayName);
  const moved = before === undefined || before.tier !== after.tier;
  tx.upsert([
    userEntity(id, after),
    ...now
      .filter((term) => moved || !old.has(term))
      .map((term) => ({ key: userTermKey(term, id), data: { tier: after.tier } })),
  ]);
  const kept = new Set(now);
  tx.delete([...old].filter((term) => !kept.has(term)).map((term) => userTermKey(term, id)));
}

function toRecord(entity: Entity<UserData>): UserRecord {
  const { updatedAt: _updatedAt, tier: _tier, avatar, ...data } = withDefaults(entity.data);
  return { id: entity.key.name, ...data, avatar: parseAvatar(avatar) };
}

function parseAvatar(json: string | null): StoredAvatar | null {
  return json ? (JSON.parse(json) as StoredAvatar) : null;
}

/** A stored user as the code expects it, whatever an older or damaged entity lacks: never a 500 for a missing field. */
function withDefaults(data: Partial<UserData> & { avatarUrl?: unknown }): UserData {
  // Users stored before avatars were their own kept the Google picture as `avatarUrl`.
  const picture = data.pictureUrl ?? data.avatarUrl;
  return {
    username: typeof data.username === 'string' ? data.username : '',
    displayName: typeof data.displayName === 'string' ? data.displayName : '',
    pictureUrl: typeof picture === 'string' ? picture : null,
    avatar: typeof data.avatar === 'string' ? data.avatar : null,
    bio: typeof data.bio === 'string' ? data.bio : '',
    email: typeof data.email === 'string' ? data.email : null,
    private: data.private === true,
    suspended: data.suspended === true,
    createdAt: data.createdAt instanceof Date ? data.createdAt : new Date(0),
    updatedAt: data.updatedAt instanceof Date ? data.updatedAt : new Date(0),
    tier: typeof data.tier === 'number' ? data.tier : 0,
  };
}
