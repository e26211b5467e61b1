import type { UseInfiniteQueryResult, InfiniteData } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { UserPage, UserSummary } from '../api/client';
import { Avatar } from './Avatar';
import { ErrorNotice } from './ErrorNotice';
import { LoadMore } from './LoadMore';

/** A paged list of people (followers, following, likers), each linking to their profile. */
export function UserList({
  query,
  empty,
  label,
  paged = true,
  action,
}: {
  query: UseInfiniteQueryResult<InfiniteData<UserPage>>;
  empty: string;
  label: string;
  /** false: the first page only (a preview that links to the whole list). */
  paged?: boolean;
  /** A control beside each person (removing a follower). */
  action?: (user: UserSummary) => ReactNode;
}) {
  if (query.isPending) {
    return <p aria-busy="true">Loading…</p>;
  }
  if (!query.data) {
    return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  }
  const users = query.data.pages.flatMap((page) => page.items);
  // A page may come back empty while more follow (the people it held are hidden from me): only the end is "empty".
  if (users.length === 0 && !query.hasNextPage) {
    return <p className="empty">{empty}</p>;
  }
  return (
    <>
      <ul className="user-list" aria-label={label}>
        {users.map((user) => (
          <li key={user.id} className={action ? 'row' : undefined}>
            <Person user={user} className={action ? 'user-row grow' : undefined} />
            {action?.(user)}
          </li>
        ))}
      </ul>
      {paged ? <LoadMore pages={query} /> : null}
    </>
  );
}

/** One person in a list: avatar, username and name, linking to their profile. */
export function Person({ user, className = 'user-row' }: { user: UserSummary; className?: string }) {
  return (
    <Link to={`/u/${user.username}`} className={className}>
      <Avatar url={user.avatarUrl} name={user.displayName} size={40} />
      <span>
        <strong>{user.username}</strong>
        <span className="muted"> {user.displayName}</span>
      </span>
    </Link>
  );
}
