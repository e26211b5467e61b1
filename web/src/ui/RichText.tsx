import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';

/** What the API parses as a hashtag or a mention (see src/common/text-tags.ts). */
const TOKEN = /(?<![\p{L}\p{M}\p{N}_&#])#([\p{L}\p{M}\p{N}_]{1,100})|(?<![\p{L}\p{M}\p{N}_.@])@([A-Za-z0-9._]{3,30})/gu;

/** A caption or comment with its #tags linked to their pages and its @mentions to the profiles. */
export function RichText({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const at = match.index;
    parts.push(text.slice(last, at));
    if (match[1] !== undefined) {
      parts.push(
        <Link key={at} to={`/t/${encodeURIComponent(match[1].toLowerCase())}`}>
          {match[0]}
        </Link>,
      );
    } else {
      const name = match[2].replace(/\.+$/, '');
      parts.push(
        <Link key={at} to={`/u/${name.toLowerCase()}`}>
          @{name}
        </Link>,
        match[2].slice(name.length),
      );
    }
    last = at + match[0].length;
  }
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>{part}</Fragment>
      ))}
    </>
  );
}
