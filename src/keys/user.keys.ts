import type { Key } from '../store/store.types.js';

/** A user, keyed by the Google `sub` (see USER_ID_PATTERN). */
export const userKey = (id: string): Key => ({ kind: 'User', name: id });

/** One entity per claimed username, keyed by its lower-case form: claiming it in a transaction makes it unique. */
export const usernameKey = (username: string): Key => ({ kind: 'Username', name: username.toLowerCase() });
