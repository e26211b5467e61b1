/** Hashtags and @mentions in a caption or comment. */

/** A user a caption or comment mentions, as resolved when it was written. */
export interface Mention {
  id: string;
  username: string;
}

/** A hashtag: Unicode letters, digits (and combining marks) or `_`, up to 100 characters, stored lowercase. */
const TAG = /(?<![\p{L}\p{M}\p{N}_&#])#([\p{L}\p{M}\p{N}_]{1,100})(?![\p{L}\p{M}\p{N}_])/gu;
/** A mention: `@` and a username (3-30 of a-z, 0-9, `.`, `_`), not inside an email address or a longer word. */
const MENTION = /(?<![\p{L}\p{M}\p{N}_.@])@([A-Za-z0-9._]{3,30})(?![A-Za-z0-9_.])/gu;

export const MAX_TAGS = 30;
export const MAX_MENTIONS = 20;

/** The text's hashtags, lowercase, each once, in order of first use (at most MAX_TAGS). */
export function parseTags(text: string): string[] {
  const tags = [...text.matchAll(TAG)]
    .map((match) => match[1].normalize('NFC').toLowerCase())
    // Never a reserved `__x__` name: a tag names its entity (its page, its count).
    .filter((tag) => !/^__.*__$/.test(tag));
  return [...new Set(tags)].slice(0, MAX_TAGS);
}

/** The usernames the text mentions, lowercase, each once (a sentence's final dot is not part of the name). */
export function parseMentions(text: string): string[] {
  const names = [...text.matchAll(MENTION)]
    .map((match) => match[1].replace(/\.+$/, '').toLowerCase())
    // What could be a username: never a reserved `__x__` name (no user has one; its key could not even be looked up).
    .filter((name) => name.length >= 3 && !name.startsWith('.') && !/^__.*__$/.test(name));
  return [...new Set(names)].slice(0, MAX_MENTIONS);
}
