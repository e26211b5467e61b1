/** A signed-in user's ID token and how to get the next one before it expires. */
export interface Session {
  method: 'dev' | 'google';
  idToken: string;
  /** ISO 8601: the API refuses the token after it. */
  expiresAt: string;
  /** The dev issuer's email and name, to mint the next token with. */
  email?: string;
  name?: string;
}

const KEY = 'picfeed.session';
/** A token is renewed this long before it expires (or at three quarters of its life when that is shorter). */
export const RENEW_BEFORE_MS = 5 * 60_000;
const MIN_RENEW_MS = 5_000;

/** The session kept in localStorage, so a reload stays signed in; every tab sees the same one. */
export class SessionStore {
  private listeners = new Set<() => void>();
  private session: Session | undefined;
  /** Why the last session ended when it was not the user's choice, for the sign-in screen to say. */
  endedBecause: string | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly now: () => number = Date.now,
  ) {
    this.session = read(storage);
    if (this.session !== undefined && Date.parse(this.session.expiresAt) <= now()) {
      this.clear('Your session expired. Sign in again.');
    }
  }

  current = (): Session | undefined => this.session;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  signIn(session: Session): void {
    this.session = session;
    this.endedBecause = undefined;
    this.storage.setItem(KEY, JSON.stringify(session));
    this.emit();
  }

  signOut(reason?: string): void {
    this.clear(reason);
    this.emit();
  }

  /** Milliseconds until the current token should be renewed; undefined when signed out. */
  renewIn(): number | undefined {
    if (this.session === undefined) {
      return undefined;
    }
    const expires = Date.parse(this.session.expiresAt);
    const left = expires - this.now();
    // At least a few seconds: a clock far ahead of the issuer's must not turn this into a loop of renewals.
    return Math.max(MIN_RENEW_MS, left - Math.min(RENEW_BEFORE_MS, left / 4));
  }

  /**
   * Another tab wrote the session (`storage` event): the same user's renewed token is taken as it is; anything else
   * (signed out, another user) means this tab's screens belong to someone else, and it answers true: reload.
   */
  adopt(raw: string | null): boolean {
    const next = raw === null ? undefined : parse(raw);
    const subject = next && subjectOf(next.idToken);
    if (subject === undefined || this.session === undefined || subject !== subjectOf(this.session.idToken)) {
      return true;
    }
    this.session = next;
    this.emit();
    return false;
  }

  /** Within the last five minutes of the token (a tab coming back from sleep renews at once). */
  renewalDue(): boolean {
    return this.session !== undefined && Date.parse(this.session.expiresAt) - this.now() <= RENEW_BEFORE_MS;
  }

  expired(): boolean {
    return this.session === undefined || Date.parse(this.session.expiresAt) <= this.now();
  }

  private clear(reason: string | undefined): void {
    this.session = undefined;
    this.endedBecause = reason;
    this.storage.removeItem(KEY);
  }

  private emit(): void {
    this.listeners.forEach((listener) => listener());
  }
}

function read(storage: Storage): Session | undefined {
  return parse(storage.getItem(KEY) ?? 'null');
}

function parse(raw: string): Session | undefined {
  try {
    const value = JSON.parse(raw) as Partial<Session> | null;
    if (
      value !== null &&
      (value.method === 'dev' || value.method === 'google') &&
      typeof value.idToken === 'string' &&
      typeof value.expiresAt === 'string' &&
      !Number.isNaN(Date.parse(value.expiresAt))
    ) {
      return value as Session;
    }
  } catch {
    // A damaged entry is the same as none.
  }
  return undefined;
}

function claims(idToken: string): { exp?: unknown; sub?: unknown } {
  try {
    const payload = idToken.split('.')[1] ?? '';
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown; sub?: unknown };
  } catch {
    return {};
  }
}

/** Who an ID token (a JWT: Google's or the dev issuer's) is for; undefined when it does not say. */
export function subjectOf(idToken: string): string | undefined {
  const sub = claims(idToken).sub;
  return typeof sub === 'string' ? sub : undefined;
}

/** The `exp` of a Google ID token (a JWT), as ISO 8601. */
export function expiryOf(idToken: string): string {
  const exp = claims(idToken).exp;
  if (typeof exp !== 'number') {
    throw new Error('the token has no expiry');
  }
  return new Date(exp * 1000).toISOString();
}
