/** Datastore reserves every kind, key name and property name of the form `__x__`. */
export const RESERVED_NAME = /^__.*__$/;

/**
 * What may become a user's key, wherever it comes from (a token's `sub`, a path): Google's `sub` is 1-255 printable
 * ASCII characters, and Datastore reserves every name of the form `__x__`.
 */
export const USER_ID_PATTERN = /^(?!__.*__$)[\x21-\x7e]{1,255}$/;

export function isValidUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID_PATTERN.test(value) && !RESERVED_NAME.test(value);
}
