import type { Key, ScalarValue } from '../store.types.js';

/*
 * Order-preserving encodings. A value or key becomes a string of chars 0..255 whose plain string order is
 * Datastore's order, so index entries are concatenations of encodings compared with `<`. Every encoding is
 * prefix-free, which is what makes concatenation, byte inversion (descending) and prefix ranges sound.
 */

const NULL = '\x10';
const NUMBER = '\x20';
const DATE = '\x30';
const BOOLEAN = '\x40';
const STRING = '\x50';
const PATH_ELEMENT = '\x02';
const KEY_END = '\x01';

/** Greater than any encoded string: `prefix + HIGH` bounds everything that starts with `prefix`. */
export const HIGH = '\u0100';

const float = new DataView(new ArrayBuffer(8));

export function encodeValue(value: ScalarValue): string {
  if (value === null) {
    return NULL;
  }
  switch (typeof value) {
    case 'number':
      return NUMBER + encodeNumber(value);
    case 'boolean':
      return BOOLEAN + (value ? '\x01' : '\x00');
    case 'string':
      return STRING + encodeString(value);
    default:
      return DATE + encodeNumber(value.getTime());
  }
}

export function encodeKey(key: Key): string {
  return encodePath(key) + KEY_END;
}

/** A key without its terminator: the encoding of the key and of every descendant starts with it. */
export function encodePath(key: Key): string {
  const parent = key.parent ? encodePath(key.parent) : '';
  return parent + PATH_ELEMENT + encodeString(key.kind) + encodeString(key.name);
}

/** Reverses the order of an encoding, for the descending properties of composite indexes. */
export function descending(encoded: string): string {
  let inverted = '';
  for (let i = 0; i < encoded.length; i++) {
    inverted += String.fromCharCode(255 - encoded.charCodeAt(i));
  }
  return inverted;
}

/** Length of the value encoding that starts `entry` (an entry of a built-in property index). */
export function valueLength(entry: string): number {
  switch (entry[0]) {
    case NULL:
      return 1;
    case BOOLEAN:
      return 2;
    case STRING:
      return entry.indexOf('\x00\x01', 1) + 2;
    default:
      return 9;
  }
}

function encodeNumber(value: number): string {
  if (Number.isNaN(value)) {
    return '\x00'.repeat(8);
  }
  // IEEE 754 big-endian: flipping the sign bit (positives) or every bit (negatives) makes byte order numeric order.
  float.setFloat64(0, value === 0 ? 0 : value);
  const negative = value < 0;
  let encoded = '';
  for (let i = 0; i < 8; i++) {
    const byte = float.getUint8(i);
    encoded += String.fromCharCode(negative ? 255 - byte : i === 0 ? byte ^ 0x80 : byte);
  }
  return encoded;
}

/** Text that is its own UTF-8 bytes (and, without a NUL, needs no escape): most kinds, names and values. */
const ASCII = /^\p{ASCII}*$/u;

/** UTF-8 bytes (Datastore orders strings by them), NUL escaped as 00 FF, terminated by 00 01. */
function encodeString(text: string): string {
  if (ASCII.test(text) && !text.includes('\x00')) {
    return text + '\x00\x01';
  }
  return Buffer.from(text, 'utf8').toString('latin1').replaceAll('\x00', '\x00\xff') + '\x00\x01';
}
