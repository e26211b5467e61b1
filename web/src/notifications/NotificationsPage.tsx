import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { Notification } from '../api/client';
import { Avatar } from '../ui/Avatar';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LoadMore } from '../ui/LoadMore';
import { ago } from '../ui/time';
import { useMarkRead, useNotifications } from './useNotifications';

/** "ada", "ada and bob", "ada and 1,203 others". */
export function who({ actors, actorCount }: Notification): string {
  const [first, second] = actors.map((actor) => actor.username);
  if (actorCount === 1 || first === undefined) {
    return first ?? 'Someone';
  }
  if (actorCount === 2 && second !== undefined) {
    return `${first} and ${second}`;
  }
  const others = actorCount - 1;
  return `${first} and ${others.toLocaleString('en')} ${others === 1 ? 'other' : 'others'}`;
}

const quoted = (item: Notification) => (item.comment ? `: “${item.comment.text}”` : '');

export function describe(item: Notification): string {
  switch (item.type) {
    case 'like':
      return `${who(item)} liked your post`;
    case 'comment':
      return `${who(item)} commented${quoted(item)}`;
    case 'reply':
      return `${who(item)} replied to your comment${quoted(item)}`;
    case 'comment_like':
      return `${who(item)} liked your comment${quoted(item)}`;
    case 'mention':
      return `${who(item)} mentioned you${item.comment ? ` in a comment${quoted(item)}` : ' in a post'}`;
    case 'follow':
      return `${who(item)} started following you`;
    case 'follow_request':
      return `${who(item)} asked to follow you`;
    case 'follow_accepted':
      return `${who(item)} accepted your follow request`;
  }
}

function target(item: Notification): string {
  if (item.post) {
    return `/p/${item.post.id}`;
  }
  if (item.type === 'follow_request') {
    return '/settings/requests';
  }
  return `/u/${item.actors[0]?.username ?? ''}`;
}

/** My notifications, newest first; opening the screen marks what it shows read. */
export function NotificationsPage() {
  const list = useNotifications();
  const markRead = useMarkRead();
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  // Up to the newest row the first page covers (items the API left out included), so the badge clears.
  const newest = list.data?.pages[0]?.newestAt ?? undefined;
  const marked = useRef<string | undefined>(undefined);
  const { mutate } = markRead;
  useEffect(() => {
    // Once per newest time seen: what arrives later stays unread until it is shown.
    if (newest !== undefined && marked.current !== newest) {
      marked.current = newest;
      mutate(newest);
    }
  }, [newest, mutate]);
  return (
    <section className="stack" aria-labelledby="notifications-title">
      <h1 id="notifications-title">Notifications</h1>
      {list.isPending ? <p aria-busy="true">Loading…</p> : null}
      {list.isError ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && items.length === 0 && !list.hasNextPage ? <p className="empty">Nothing yet.</p> : null}
      <ul className="notification-list" aria-label="Notifications">
        {items.map((item) => (
          <li key={item.id} className={item.read ? 'notification' : 'notification unread'}>
            <Link to={target(item)} className="notification-link">
              <span className="notification-avatars" aria-hidden="true">
                {item.actors.map((actor) => (
                  <Avatar key={actor.id} url={actor.avatarUrl} name={actor.username} size={32} />
                ))}
              </span>
              <span className="grow">
                {item.read ? null : <span className="visually-hidden">New: </span>}
                {describe(item)} <time dateTime={item.updatedAt}>{ago(item.updatedAt)}</time>
              </span>
              {item.post?.thumbnailUrl ? (
                <img className="notification-thumb" src={item.post.thumbnailUrl} alt="" width={44} height={44} />
              ) : null}
            </Link>
          </li>
        ))}
      </ul>
      {list.data ? <LoadMore pages={list} /> : null}
    </section>
  );
}
