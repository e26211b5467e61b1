import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { PairsRepository } from '../repositories/pairs.repository.js';
import { type UserRecord, UsersRepository } from '../repositories/users.repository.js';
import { joinLookups, Lookups, type LookupPart } from '../store/lookup-plan.js';

/** How the viewer and another user stand: every marker between them, read by key. */
export interface Relation {
  /** The viewer follows them. */
  readonly followedByMe: boolean;
  /** The viewer asked to follow them (a private account) and they have not answered. */
  readonly requestedByMe: boolean;
  readonly followsMe: boolean;
  readonly blockedByMe: boolean;
  /** They blocked the viewer: never shown to the viewer, who must not learn it either. */
  readonly blocksMe: boolean;
  readonly mutedByMe: boolean;
}

export const NO_RELATION: Relation = {
  followedByMe: false,
  requestedByMe: false,
  followsMe: false,
  blockedByMe: false,
  blocksMe: false,
  mutedByMe: false,
};

/** What a viewer may see of a user: nothing (404), the profile only (with why not the rest), or everything. */
export type Access =
  | { readonly profile: false }
  | { readonly profile: true; readonly content: false; readonly code: ErrorCode.PrivateAccount | ErrorCode.UserBlocked }
  | { readonly profile: true; readonly content: true };

export interface Viewer {
  readonly id: string;
  readonly admin?: boolean;
}

/**
 * The one rule of who sees whom. A user sees all of themself. Someone who blocked the viewer, or who is suspended,
 * does not exist for them (404). The viewer's own block leaves the profile (to unblock from) but not the content; a
 * private account shows its content to its followers only. Admins see everything that exists, to moderate it.
 */
export function accessTo(viewer: Viewer, user: UserRecord | undefined, relation: Relation): Access {
  if (!user) {
    return { profile: false };
  }
  if (user.id === viewer.id || viewer.admin) {
    return { profile: true, content: true };
  }
  if (user.suspended || relation.blocksMe) {
    return { profile: false };
  }
  if (relation.blockedByMe) {
    return { profile: true, content: false, code: ErrorCode.UserBlocked };
  }
  if (user.private && !relation.followedByMe) {
    return { profile: true, content: false, code: ErrorCode.PrivateAccount };
  }
  return { profile: true, content: true };
}

/** Whether what the user wrote shows to the viewer: they exist, are not suspended, and no block stands either way. */
export function isVisible(viewer: Viewer, user: UserRecord | undefined, relation: Relation): boolean {
  return accessTo(viewer, user, relation).profile && (viewer.admin === true || !relation.blockedByMe);
}

const userNotFound = (): DomainError => new DomainError(ErrorCode.UserNotFound, 'user not found');

/** Throws what a viewer without access to the user's content gets: 404, or 403 private_account / user_blocked. */
export function requireContent(access: Access, notFound: () => DomainError = userNotFound): void {
  if (!access.profile) {
    throw notFound();
  }
  if (!access.content) {
    throw access.code === ErrorCode.PrivateAccount
      ? new DomainError(ErrorCode.PrivateAccount, 'this account is private: only its followers see its posts and lists')
      : new DomainError(ErrorCode.UserBlocked, 'you blocked this user: unblock them to see their posts and lists');
  }
}

/**
 * Relations between a viewer and other users as lookup parts, so that a page's block, mute and follow checks ride in
 * the one batched lookup it makes anyway.
 */
@Injectable()
export class Relations {
  constructor(
    private readonly follows: FollowsRepository,
    private readonly pairs: PairsRepository,
    private readonly users: UsersRepository,
    private readonly lookups: Lookups,
  ) {}

  /**
   * Every marker between the viewer and each user (six keys each). `lean` reads only followedByMe and mutedByMe (the
   * rest read as false), what a timeline page needs: a block ends the follows both ways (BlocksService, with a task
   * behind it, and a follow racing it undoes itself), so a followed author is never one blocked either way.
   */
  lookup(viewerId: string, ids: readonly string[], { lean = false } = {}): LookupPart<Map<string, Relation>> {
    const others = [...new Set(ids)].filter((id) => id !== viewerId);
    const to = others.map((id) => ({ from: viewerId, to: id }));
    const from = others.map((id) => ({ from: id, to: viewerId }));
    const none = others.map(() => false);
    const skipped: LookupPart<boolean[]> = { keys: [], read: () => none };
    const parts = joinLookups([
      this.follows.isFollowingLookup(viewerId, others),
      lean ? skipped : this.pairs.markedLookup('FollowRequest', to),
      lean ? skipped : this.follows.followersLookup(viewerId, others),
      lean ? skipped : this.pairs.markedLookup('Block', to),
      lean ? skipped : this.pairs.markedLookup('Block', from),
      this.pairs.markedLookup('Mute', to),
    ]);
    return {
      keys: parts.keys,
      read: (entities) => {
        const [followed, requested, follows, blocked, blocks, muted] = parts.read(entities);
        return new Map(
          others.map((id, i) => [
            id,
            {
              followedByMe: followed[i],
              requestedByMe: requested[i],
              followsMe: follows[i],
              blockedByMe: blocked[i],
              blocksMe: blocks[i],
              mutedByMe: muted[i],
            },
          ]),
        );
      },
    };
  }

  /** The users and how the viewer stands with each, to decide access with `accessTo`. */
  audienceLookup(viewerId: string, ids: readonly string[]) {
    return joinLookups([this.users.recordsLookup(ids), this.lookup(viewerId, ids)]);
  }

  /** Whether a block stands between the viewer and each user, either way (two keys each). */
  blocksLookup(viewerId: string, ids: readonly string[]): LookupPart<Set<string>> {
    const others = [...new Set(ids)].filter((id) => id !== viewerId);
    const parts = joinLookups([
      this.pairs.markedLookup(
        'Block',
        others.map((id) => ({ from: viewerId, to: id })),
      ),
      this.pairs.markedLookup(
        'Block',
        others.map((id) => ({ from: id, to: viewerId })),
      ),
    ]);
    return {
      keys: parts.keys,
      read: (entities) => {
        const [mine, theirs] = parts.read(entities);
        return new Set(others.filter((_, i) => mine[i] || theirs[i]));
      },
    };
  }

  /** The user and the viewer's access to them, in one lookup. */
  async access(viewer: Viewer, userId: string): Promise<{ user: UserRecord | undefined; access: Access }> {
    const [[users, relations]] = await this.lookups.run([this.audienceLookup(viewer.id, [userId])]);
    const user = users.get(userId);
    return { user, access: accessTo(viewer, user, relations.get(userId) ?? NO_RELATION) };
  }

  /**
   * The user, when the viewer may see their posts and lists; else throws 404 or 403 (see requireContent). `alsoOf`
   * names other users the viewer acts on too (the author of a comment liked or replied to): one the viewer may not
   * see listed (suspended, or a block either way) is a 404 as well. One lookup.
   */
  async requireContentOf(
    viewer: AuthenticatedUser,
    userId: string,
    notFound: () => DomainError = userNotFound,
    alsoOf: readonly string[] = [],
  ) {
    const [[users, relations]] = await this.lookups.run([this.audienceLookup(viewer.id, [userId, ...alsoOf])]);
    const user = users.get(userId);
    requireContent(accessTo(viewer, user, relations.get(userId) ?? NO_RELATION), notFound);
    for (const other of alsoOf) {
      if (!isVisible(viewer, users.get(other), relations.get(other) ?? NO_RELATION)) {
        throw notFound();
      }
    }
    return user!;
  }

  /** Whether a block stands between the two users now, either way: one lookup. */
  async blockedEitherWay(a: string, b: string): Promise<boolean> {
    const [blocked] = await this.lookups.run([this.blocksLookup(a, [b])]);
    return blocked.has(b);
  }
}
