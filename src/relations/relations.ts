import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { PairsRepository } from '../repositories/pairs.repository.js';
import { type UserRecord, UsersRepository } from '../repositories/users.repository.js';
import { joinLookups, Lookups, type LookupPart } from '../store/lookup-plan.js';

/** Hot writes' access checks looked up at once in this process; the ones that arrive meanwhile wait and go together. */
const CHECKS_IN_FLIGHT = 2;
/** Most access checks joined into one lookup (seven keys each). */
const CHECKS_PER_LOOKUP = 100;

/**
 * How long an instance trusts an access check for a hot write (a like, a comment). A change this instance makes
 * (a block, a removed follower, going private, a suspension) forgets the checks it touches at once; other instances
 * see it within this long. Reads are never served from here.
 */
const ACCESS_TTL_MS = 10_000;
const ACCESS_CHECKS_KEPT = 100_000;

interface PendingCheck {
  readonly viewer: Viewer;
  readonly userId: string;
  readonly resolve: (answer: { user: UserRecord | undefined; access: Access }) => void;
  readonly reject: (error: unknown) => void;
}

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
  private pending: PendingCheck[] = [];
  private checksInFlight = 0;
  /** Recent access checks for writes: author id -> `${admin}:${viewer id}` -> the answer and until when it holds. */
  private readonly recent = new Map<string, Map<string, { access: Access; until: number }>>();
  private recentSize = 0;
  /** Moves on with every forget: a check that was out meanwhile does not keep its answer. */
  private epoch = 0;

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
   * The access of a hot write (a like, a comment) not known yet: checks that arrive together share lookups, at most
   * two in flight per process, the rest joined into the next one, so a hot post costs a few lookups, not one each.
   */
  private accessForWrite(viewer: Viewer, userId: string): Promise<{ user: UserRecord | undefined; access: Access }> {
    return new Promise((resolve, reject) => {
      this.pending.push({ viewer, userId, resolve, reject });
      this.lookUpPending();
    });
  }

  private lookUpPending(): void {
    if (this.checksInFlight >= CHECKS_IN_FLIGHT || this.pending.length === 0) {
      return;
    }
    const checks = this.pending.splice(0, CHECKS_PER_LOOKUP);
    this.checksInFlight += 1;
    const parts = checks.map(({ viewer, userId }) => this.audienceLookup(viewer.id, [userId]));
    lookupParts(this.lookups, parts)
      .then(
        (answers) =>
          checks.forEach(({ viewer, userId, resolve }, i) => {
            const [users, relations] = answers[i];
            const user = users.get(userId);
            resolve({ user, access: accessTo(viewer, user, relations.get(userId) ?? NO_RELATION) });
          }),
        (error: unknown) => checks.forEach(({ reject }) => reject(error)),
      )
      // Nothing above throws; a bug that did must not leave the rest of the batch hanging or crash the process.
      .catch((error: unknown) => checks.forEach(({ reject }) => reject(error)))
      .finally(() => {
        this.checksInFlight -= 1;
        this.lookUpPending();
      });
  }

  /**
   * Throws as requireContent unless the viewer may see the author's content, for a write on a hot post (a like, a
   * comment): the answer is kept ACCESS_TTL_MS, so a post liked by thousands costs a check per liker every few
   * seconds, not one per like. What this instance changes forgets the answers it touches (see forget).
   */
  async requireContentForWrite(viewer: Viewer, authorId: string, notFound: () => DomainError): Promise<void> {
    const slot = `${viewer.admin === true ? 1 : 0}:${viewer.id}`;
    const known = this.recent.get(authorId)?.get(slot);
    if (known && known.until > Date.now()) {
      requireContent(known.access, notFound);
      return;
    }
    // A change forgotten while this check was out may not have been seen by it: its answer is used, not kept.
    const epoch = this.epoch;
    const { access } = await this.accessForWrite(viewer, authorId);
    if (epoch !== this.epoch) {
      requireContent(access, notFound);
      return;
    }
    const now = Date.now();
    if (this.recentSize >= ACCESS_CHECKS_KEPT) {
      this.recent.clear();
      this.recentSize = 0;
    }
    let byViewer = this.recent.get(authorId);
    if (!byViewer) {
      byViewer = new Map();
      this.recent.set(authorId, byViewer);
    }
    if (!byViewer.has(slot)) {
      this.recentSize += 1;
    }
    byViewer.set(slot, { access, until: now + ACCESS_TTL_MS });
    requireContent(access, notFound);
  }

  /** Forgets kept access checks: of `viewer` on `author` both ways, or every one on `author` (no viewer given). */
  forget(author: string, viewer?: string): void {
    this.epoch += 1;
    if (viewer === undefined) {
      this.recentSize -= this.recent.get(author)?.size ?? 0;
      this.recent.delete(author);
      return;
    }
    for (const [owner, other] of [
      [author, viewer],
      [viewer, author],
    ]) {
      const byViewer = this.recent.get(owner);
      for (const slot of [`0:${other}`, `1:${other}`]) {
        if (byViewer?.delete(slot)) {
          this.recentSize -= 1;
        }
      }
      if (byViewer?.size === 0) {
        this.recent.delete(owner);
      }
    }
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
    if (alsoOf.length === 0) {
      const { user, access } = await this.access(viewer, userId);
      requireContent(access, notFound);
      return user!;
    }
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

  /**
   * Which of `recipients` may be told about what `actor` did on `author`'s content: never the actor, nor anyone
   * suspended or unknown, with a block either way with the actor, or who cannot see the author's content. One lookup.
   */
  async mayBeTold(recipients: readonly string[], author: string, actor: string): Promise<Set<string>> {
    const others = [...new Set(recipients)].filter((id) => id !== actor);
    const answers = await lookupParts(
      this.lookups,
      others.map((id) => this.audienceLookup(id, [id, author, actor])),
    );
    return new Set(
      others.filter((id, i) => {
        const [users, relations] = answers[i];
        const viewer = { id };
        const of = (userId: string) => relations.get(userId) ?? NO_RELATION;
        const content = accessTo(viewer, users.get(author), of(author));
        return (
          users.get(id)?.suspended === false &&
          isVisible(viewer, users.get(actor), of(actor)) &&
          content.profile &&
          content.content
        );
      }),
    );
  }

  /** Whether a block stands between the two users now, either way: one lookup. */
  async blockedEitherWay(a: string, b: string): Promise<boolean> {
    const [blocked] = await this.lookups.run([this.blocksLookup(a, [b])]);
    return blocked.has(b);
  }
}

/** Runs a list of lookup parts of one shape as one lookup (Lookups.run takes a tuple). */
function lookupParts<T>(lookups: Lookups, parts: LookupPart<T>[]): Promise<T[]> {
  return lookups.run<LookupPart<T>[]>(parts);
}
