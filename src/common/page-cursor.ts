import { BadRequestException } from '@nestjs/common';

/** What a page resumes from: the store's cursor, plus whatever else the walk needs to carry. */
export interface CursorState {
  readonly store: string;
  readonly last?: string;
}

/** Opaque, URL-safe page cursors; anything a client changes answers 400, never reaches the store as garbage. */
function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorState | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Partial<CursorState>;
    if (
      typeof state.store === 'string' &&
      state.store !== '' &&
      (state.last === undefined || typeof state.last === 'string')
    ) {
      return { store: state.store, last: state.last };
    }
  } catch {
    // falls through to the one answer for every bad cursor
  }
  throw new BadRequestException('cursor is invalid');
}

/** A page's `nextCursor`: null on the last page. */
export function nextCursor(store: string | undefined, last?: string): string | null {
  return store === undefined ? null : encodeCursor({ store, last });
}
