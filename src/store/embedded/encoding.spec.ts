import type { Key, ScalarValue } from '../store.types.js';
import { descending, encodeKey, encodePath, encodeValue, valueLength } from './encoding.js';

describe('encoding', () => {
  function sortedBy(encode: (value: ScalarValue) => string, values: ScalarValue[]): ScalarValue[] {
    return [...values].sort((a, b) => (encode(a) < encode(b) ? -1 : encode(a) > encode(b) ? 1 : 0));
  }

  it('should order values like Datastore: null, numbers, dates, booleans, strings', () => {
    const ordered: ScalarValue[] = [
      null,
      -Infinity,
      -1e300,
      -2.5,
      -1,
      0,
      1e-300,
      1,
      2.5,
      1e300,
      Infinity,
      new Date(-1000),
      new Date(0),
      new Date('2030-01-01'),
      false,
      true,
      '',
      '\x00',
      'A',
      'a',
      'ab',
      'b',
      'é',
    ];

    expect(sortedBy(encodeValue, [...ordered].reverse())).toEqual(ordered);
  });

  it('should order strings by their UTF-8 bytes, not UTF-16 code units', () => {
    const bmp = '\uffff';
    const astral = '\u{10000}';

    expect(encodeValue(bmp) < encodeValue(astral)).toBe(true);
  });

  it('should treat -0 as 0 and put NaN below every other number', () => {
    expect(encodeValue(-0)).toBe(encodeValue(0));
    expect(encodeValue(NaN) < encodeValue(-Infinity)).toBe(true);
    expect(encodeValue(NaN) > encodeValue(null)).toBe(true);
  });

  it('should reverse the order of encodings when descending', () => {
    const values: ScalarValue[] = [null, 3, new Date(5), true, 'x', 'xy'];

    expect(sortedBy((value) => descending(encodeValue(value)), values)).toEqual([...values].reverse());
  });

  it('should order keys path element by element, a parent before its children', () => {
    const a: Key = { kind: 'A', name: 'a' };
    const keys: Key[] = [
      a,
      { kind: 'B', name: 'a', parent: a },
      { kind: 'B', name: 'b', parent: a },
      { kind: 'A', name: 'b' },
      { kind: 'B', name: 'a' },
    ];

    const sorted = [...keys].sort((x, y) => (encodeKey(x) < encodeKey(y) ? -1 : 1));

    expect(sorted).toEqual(keys);
  });

  it('should start the encoding of every descendant with the path of its ancestor', () => {
    const parent: Key = { kind: 'User', name: 'u1' };
    const child: Key = { kind: 'Post', name: 'p', parent: { kind: 'Group', name: 'g', parent } };

    expect(encodeKey(child).startsWith(encodePath(parent))).toBe(true);
    expect(encodeKey({ kind: 'User', name: 'u10' }).startsWith(encodePath(parent))).toBe(false);
  });

  it('should tell where a value encoding ends inside an index entry', () => {
    const key = encodeKey({ kind: 'K', name: 'n' });
    for (const value of [null, 1, new Date(1), true, 'with\x00nul', '']) {
      const encoded = encodeValue(value);
      expect(valueLength(encoded + key)).toBe(encoded.length);
    }
  });
});
