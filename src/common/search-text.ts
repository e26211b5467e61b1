import { RESERVED_NAME } from './key-name.js';

/** Search terms: case- and accent-insensitive prefixes of a username and of each word of a display name. */

/** Longest prefix indexed (and longest query): a query is at most this long. */
export const MAX_SEARCH_LENGTH = 30;
/** Words of a display name indexed: a name of 64 characters has a few. */
const MAX_WORDS = 8;
/** Terms per user, the username's first. */
const MAX_TERMS = 200;

/** Lowercase, without accents or marks ("José" -> "jose"), in NFC-free form ready to compare. */
export function normalize(text: string): string {
  // ASCII has nothing to decompose and no marks: most usernames and names take the short way.
  if (ASCII.test(text)) {
    return text.toLowerCase();
  }
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

const ASCII = /^\p{ASCII}*$/u;

/** The words of a text: runs of letters and digits (and `.` / `_` inside a username). */
function words(text: string): string[] {
  return normalize(text)
    .split(/[^\p{L}\p{N}._]+/u)
    .filter((word) => word.length > 0);
}

function prefixes(word: string): string[] {
  const chars = [...word].slice(0, MAX_SEARCH_LENGTH);
  return chars.map((_, i) => chars.slice(0, i + 1).join(''));
}

/** The words a user is found by: the username and each display-name word, also their parts split at `.` and `_`. */
function searchWords(username: string, displayName: string): string[] {
  const name = normalize(username);
  const parts = words(displayName)
    .slice(0, MAX_WORDS)
    .flatMap((word) => [word, ...word.split(/[._]+/)]);
  return [name, ...name.split(/[._]+/), ...parts].filter((word) => word.length > 0);
}

/** Users' words as searches last matched them: a popular candidate is matched by many searches a second. */
const matched = new Map<string, readonly string[]>();
const MATCHED_KEPT = 10_000;

/** Whether every query word (normalized) starts one of the user's words: what their terms say, without listing them. */
export function matchesSearch(username: string, displayName: string, query: readonly string[]): boolean {
  const key = `${username}\n${displayName}`;
  let own = matched.get(key);
  if (!own) {
    if (matched.size >= MATCHED_KEPT) {
      matched.clear();
    }
    own = searchWords(username, displayName);
    matched.set(key, own);
  }
  return query.every((word) => own.some((part) => part.startsWith(word)));
}

/**
 * The indexed terms of a user: every prefix of the username and of each display-name word (also of their parts
 * split at `.` and `_`), each once. What a query of 1-30 characters is matched against by equality.
 */
export function userSearchTerms(username: string, displayName: string): string[] {
  const terms = [...new Set(searchWords(username, displayName).flatMap(prefixes))];
  // Each term is an entity name: never a reserved `__x__` one; and few enough that a rename's commit (old terms
  // out, new ones in) stays far below 500 mutations.
  return terms.filter((term) => !RESERVED_NAME.test(term)).slice(0, MAX_TERMS);
}

/** A query as it is matched: normalized, trimmed, without a leading `@` or `#`. */
export function searchQuery(text: string): string {
  return normalize(text.trim().replace(/^[@#]/, ''));
}
