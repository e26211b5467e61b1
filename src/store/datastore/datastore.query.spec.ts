import { InvalidCursorError } from '../store.errors.js';
import { decodeCursor, encodeCursor } from './datastore.query.js';

describe('cursors', () => {
  it('should round-trip cursor bytes as URL-safe text', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0x00, 0x10]);

    expect(decodeCursor(encodeCursor(bytes))).toEqual(bytes);
    expect(encodeCursor(bytes)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('should refuse text that is no cursor before asking Datastore', () => {
    expect(() => decodeCursor('a/b+c=')).toThrow(InvalidCursorError);
  });
});
