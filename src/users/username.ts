import { randomBytes, randomInt } from 'node:crypto';

/**
 * Lower-case letters, digits, dots and underscores, 3-30 long, no dot at either end, and not of the form `__x__`
 * (a username is also a key name, and Datastore reserves those).
 */
export const USERNAME_PATTERN = /^(?!\.)(?!__.*__$)[a-z0-9._]{3,30}(?<!\.)$/;

const SUFFIX_DIGITS = 4;

/**
 * First-username candidates for a new user, best first: the email's local part made valid, then the same
 * with random digit suffixes, so one batched lookup almost always finds a free one.
 */
export function usernameCandidates(email: string | undefined, count = 6): string[] {
  const local = (email ?? '').split('@')[0].split('+')[0].toLowerCase();
  let base = local.replace(/[^a-z0-9._]/g, '').replace(/^\.+|\.+$/g, '');
  base = base.slice(0, 30 - SUFFIX_DIGITS - 1).replace(/\.+$/, '');
  if (base.length < 3 || !USERNAME_PATTERN.test(base)) {
    base = `user${base}`.slice(0, 30 - SUFFIX_DIGITS - 1).replace(/\.+$/, '');
  }
  const candidates = [base];
  while (candidates.length < count - 1) {
    candidates.push(`${base}_${String(randomInt(10 ** SUFFIX_DIGITS)).padStart(SUFFIX_DIGITS, '0')}`);
  }
  // The last resort: 64 random bits, so a first sign-in never fails because every nicer name is taken.
  candidates.push(`user_${randomBytes(8).toString('hex')}`);
  return candidates;
}
