import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors.js';
import { userKey, usernameKey } from '../keys/user.keys.js';
import { lookupAll, type LookupPart } from '../store/lookup-plan.js';
import { EntityExistsError } from '../store/store.errors.js';
import { Store } from '../store/store.js';
import type { Entity, Transaction } from '../store/store.types.js';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  bio: string;
  email: string | null;
  createdAt: Date;
}

export interface NewUser {
  id: string;
  displayName: string;
  avatarUrl: string | null;
  email: string | null;
  usernameCandidates: readonly string[];
}

export type ProfileChanges = Partial<Pick<UserRecord, 'username' | 'displayName' | 'bio'>>;

const usernameTaken = (): DomainError => new DomainError(ErrorCode.UsernameTaken, 'username is taken');

type UserData = Omit<UserRecord, 'id'> & { updatedAt: Date };

const UNINDEXED: (keyof UserData)[] = ['displayName', 'avatarUrl', 'bio', 'email'];

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

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const [claim] = await this.store.get<{ userId: string }>([usernameKey(username)]);
    return claim ? this.findById(claim.data.userId) : undefined;
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
          avatarUrl: user.avatarUrl,
          bio: '',
          email: user.email,
          createdAt: now,
          updatedAt: now,
        };
        tx.insert([userEntity(user.id, data), { key: usernameKey(username), data: { userId: user.id } }]);
        return { id: user.id, ...data };
      });
    } catch (error) {
      const winner = error instanceof EntityExistsError ? await this.findById(user.id) : undefined;
      if (winner) {
        return winner;
      }
      throw error;
    }
  }

  /** Applies the changes; a new username is claimed and the old one freed in the same transaction. */
  async update(id: string, changes: ProfileChanges): Promise<UserRecord | undefined> {
    try {
      return await this.store.runInTransaction((tx) => this.applyChanges(tx, id, changes));
    } catch (error) {
      // Another user claimed the name between this transaction's read and its commit.
      throw error instanceof EntityExistsError ? usernameTaken() : error;
    }
  }

  private async applyChanges(tx: Transaction, id: string, changes: ProfileChanges): Promise<UserRecord | undefined> {
    const wanted = changes.username;
    const [current, claim] = await tx.get(wanted ? [userKey(id), usernameKey(wanted)] : [userKey(id)]);
    if (!current) {
      return undefined;
    }
    const stored = withDefaults(current.data);
    const renamed = wanted !== undefined && wanted.toLowerCase() !== stored.username.toLowerCase();
    if (renamed && claim && claim.data.userId !== id) {
      throw usernameTaken();
    }
    // Only what was sent: a field the request left out (or sent as undefined) keeps its stored value.
    const sent = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    const data: UserData = { ...stored, ...sent, updatedAt: new Date() };
    tx.upsert([userEntity(id, data)]);
    if (renamed) {
      tx.upsert([{ key: usernameKey(data.username), data: { userId: id } }]);
      if (stored.username !== '') {
        tx.delete([usernameKey(stored.username)]);
      }
    }
    return { id, ...stripUpdatedAt(data) };
  }
}

function userEntity(id: string, data: UserData): Entity {
  return { key: userKey(id), data, excludeFromIndexes: UNINDEXED };
}

function toRecord(entity: Entity<UserData>): UserRecord {
  return { id: entity.key.name, ...stripUpdatedAt(withDefaults(entity.data)) };
}

/** A stored user as the code expects it, whatever an older or damaged entity lacks: never a 500 for a missing field. */
function withDefaults(data: Partial<UserData>): UserData {
  return {
    username: typeof data.username === 'string' ? data.username : '',
    displayName: typeof data.displayName === 'string' ? data.displayName : '',
    avatarUrl: typeof data.avatarUrl === 'string' ? data.avatarUrl : null,
    bio: typeof data.bio === 'string' ? data.bio : '',
    email: typeof data.email === 'string' ? data.email : null,
    createdAt: data.createdAt instanceof Date ? data.createdAt : new Date(0),
    updatedAt: data.updatedAt instanceof Date ? data.updatedAt : new Date(0),
  };
}

function stripUpdatedAt({ updatedAt: _updatedAt, ...record }: UserData): Omit<UserRecord, 'id'> {
  return record;
}
