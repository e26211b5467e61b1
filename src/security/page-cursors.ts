import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError, ErrorCode } from '../common/errors.js';

/** What a page resumes from: the store's cursor, plus whatever else the walk needs to carry. */
export interface CursorState {
  readonly store: string;
  readonly last?: string;
}

interface EncodedCursor extends CursorState {
  /** An HMAC of the list the cursor belongs to and of the state: another list's cursor, or an edited one, fails it. */
  readonly check: string;
}

const CURSOR_KEYS = new Set(['store', 'last', 'check']);
/** Bytes of the HMAC a cursor carries: 128 bits cannot be guessed. */
const CHECK_BYTES = 16;

/**
 * Opaque, URL-safe page cursors signed with a key only the service knows (kept in the store, so every instance
 * shares it): anything a client makes up or changes answers 400 and never reaches the store.
 */
export class PageCursors {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) {
      throw new Error('a cursor signing key must be at least 32 bytes');
    }
  }

  /** `list` names the list and whose it is (`followers/{userId}`): a cursor of any other list is invalid here. */
  decode(cursor: string | undefined, list: string): CursorState | undefined {
    if (cursor === undefined) {
      return undefined;
    }
    try {
      const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
      if (
        typeof decoded === 'object' &&
        decoded !== null &&
        Object.keys(decoded).every((key) => CURSOR_KEYS.has(key))
      ) {
        const { store, last, check } = decoded as Partial<Record<keyof EncodedCursor, unknown>>;
        if (
          typeof store === 'string' &&
          store !== '' &&
          (last === undefined || typeof last === 'string') &&
          typeof check === 'string' &&
          this.matches(check, list, { store, last })
        ) {
          return { store, last };
        }
      }
    } catch {
      // falls through to the one answer for every bad cursor
    }
    throw new DomainError(ErrorCode.InvalidCursor, 'cursor is invalid');
  }

  /** A page's `nextCursor` for `list`: null on the last page. */
  next(list: string, store: string | undefined, last?: string): string | null {
    if (store === undefined) {
      return null;
    }
    const cursor: EncodedCursor = { store, last, check: this.sign(list, { store, last }).toString('base64url') };
    return Buffer.from(JSON.stringify(cursor)).toString('base64url');
  }

  private sign(list: string, state: CursorState): Buffer {
    return createHmac('sha256', this.key)
      .update(JSON.stringify([list, state.store, state.last ?? null]))
      .digest()
      .subarray(0, CHECK_BYTES);
  }

  private matches(check: string, list: string, state: CursorState): boolean {
    const given = Buffer.from(check, 'base64url');
    return given.length === CHECK_BYTES && timingSafeEqual(given, this.sign(list, state));
  }
}
