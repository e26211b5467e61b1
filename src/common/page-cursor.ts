import { createHash } from 'node:crypto';
import { BadRequestException } from '@nestjs/common';

/** What a page resumes from: the store's cursor, plus whatever else the walk needs to carry. */
export interface CursorState {
  readonly store: string;
  readonly last?: string;
}

interface EncodedCursor extends CursorState {
  /** A hash of the list the cursor belongs to and of the state: another list's cursor, or an edited one, fails it. */
  readonly check: string;
}

const CURSOR_KEYS = new Set(['store', 'last', 'check']);

function checksum(list: string, state: CursorState): string {
  return createHash('sha256')
    .update(JSON.stringify([list, state.store, state.last ?? null]))
    .digest('base64url')
    .slice(0, 11);
}

/** Opaque, URL-safe page cursors; anything a client changes answers 400, never reaches the store as garbage. */
function encodeCursor(list: string, state: CursorState): string {
  const cursor: EncodedCursor = { ...state, check: checksum(list, state) };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** `list` names the list and whose it is (`followers/{userId}`): a cursor of any other list is invalid here. */
export function decodeCursor(cursor: string | undefined, list: string): CursorState | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (typeof decoded === 'object' && decoded !== null && Object.keys(decoded).every((key) => CURSOR_KEYS.has(key))) {
      const { store, last, check } = decoded as Partial<Record<keyof EncodedCursor, unknown>>;
      if (
        typeof store === 'string' &&
        store !== '' &&
        (last === undefined || typeof last === 'string') &&
        check === checksum(list, { store, last })
      ) {
        return { store, last };
      }
    }
  } catch {
    // falls through to the one answer for every bad cursor
  }
  throw new BadRequestException('cursor is invalid');
}

/** A page's `nextCursor` for `list`: null on the last page. */
export function nextCursor(list: string, store: string | undefined, last?: string): string | null {
  return store === undefined ? null : encodeCursor(list, { store, last });
}
