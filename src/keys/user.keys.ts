import type { Key } from '../store/store.types.js';

/** A user, keyed by the Google `sub` (see USER_ID_PATTERN). */
export const userKey = (id: string): Key => ({ kind: 'User', name: id });

/** One entity per claimed username, keyed by its lower-case form: claiming it in a transaction makes it unique. */
export const usernameKey = (username: string): Key => ({ kind: 'Username', name: username.toLowerCase() });

/** A search term (a normalized prefix): the parent of one `UserTerm` per user who has it. */
export const searchTermKey = (term: string): Key => ({ kind: 'SearchTerm', name: term });
export const USER_TERM_KIND = 'UserTerm';
export const userTermKey = (term: string, userId: string): Key => ({
  kind: USER_TERM_KIND,
  name: userId,
  parent: searchTermKey(term),
});
