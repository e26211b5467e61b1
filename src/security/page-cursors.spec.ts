import { randomBytes } from 'node:crypto';
import { DomainError, ErrorCode } from '../common/errors.js';
import { PageCursors } from './page-cursors.js';

describe('page cursors', () => {
  const cursors = new PageCursors(randomBytes(32));
  const nextCursor = cursors.next.bind(cursors);
  const decodeCursor = cursors.decode.bind(cursors);
  const edit = (cursor: string, change: (state: Record<string, unknown>) => Record<string, unknown>) =>
    Buffer.from(
      JSON.stringify(change(JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, unknown>)),
    ).toString('base64url');

  it('should hand back the state a page ended on to the same list', () => {
    const sut = nextCursor('timeline/ann', 'c3RvcmU', '07-123');

    expect(decodeCursor(sut!, 'timeline/ann')).toEqual({ store: 'c3RvcmU', last: '07-123' });
    expect(nextCursor('timeline/ann', undefined)).toBeNull();
    expect(decodeCursor(undefined, 'timeline/ann')).toBeUndefined();
  });

  it("should refuse another list's cursor, even of the same kind", () => {
    const sut = nextCursor('followers/ann', 'c3RvcmU')!;

    expect(() => decodeCursor(sut, 'following/ann')).toThrow(
      new DomainError(ErrorCode.InvalidCursor, 'cursor is invalid'),
    );
    expect(() => decodeCursor(sut, 'followers/bob')).toThrow(DomainError);
  });

  it('should refuse a cursor whose state was edited, dropped or added to', () => {
    const sut = nextCursor('timeline/ann', 'c3RvcmU', '07-123')!;

    for (const edited of [
      edit(sut, (state) => ({ ...state, last: '07-999' })),
      edit(sut, (state) => ({ ...state, store: 'b3RoZXI' })),
      edit(sut, ({ check: _check, ...state }) => state),
      edit(sut, (state) => ({ ...state, extra: 1 })),
      'AAAA',
      'not base64 !',
    ]) {
      expect(() => decodeCursor(edited, 'timeline/ann')).toThrow(DomainError);
    }
  });

  it('should refuse a cursor signed with another key, or whose check was recomputed without the key', () => {
    const other = new PageCursors(randomBytes(32)).next('timeline/ann', 'c3RvcmU')!;
    const sut = nextCursor('timeline/ann', 'c3RvcmU')!;
    const state = JSON.parse(Buffer.from(sut, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...state, store: 'b3RoZXI', check: state.check })).toString(
      'base64url',
    );

    expect(() => decodeCursor(other, 'timeline/ann')).toThrow(DomainError);
    expect(() => decodeCursor(forged, 'timeline/ann')).toThrow(DomainError);
  });

  it('should refuse a signing key shorter than 32 bytes', () => {
    expect(() => new PageCursors(Buffer.alloc(0))).toThrow(/at least 32 bytes/);
    expect(() => new PageCursors(randomBytes(31))).toThrow(/at least 32 bytes/);
  });
});
