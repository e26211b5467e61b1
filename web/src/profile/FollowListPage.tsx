import { Link, useParams } from 'react-router';
import { ErrorNotice } from '../ui/ErrorNotice';
import { UserList } from '../ui/UserList';
import { useFollowList, useUser } from './useUsers';

export function FollowListPage({ relation }: { relation: 'followers' | 'following' }) {
  const { username = '' } = useParams();
  const user = useUser(username);
  const list = useFollowList(user.data?.id, relation);
  const title = relation === 'followers' ? 'Followers' : 'Following';
  return (
    <section aria-labelledby="list-title">
      <p>
        <Link to={`/u/${username}`}>← {username}</Link>
      </p>
      <h1 id="list-title">{title}</h1>
      {user.isError ? (
        <ErrorNotice error={user.error} />
      ) : (
        <UserList
          query={list}
          label={`${title} of ${username}`}
          empty={relation === 'followers' ? 'No followers yet.' : 'Not following anyone yet.'}
        />
      )}
    </section>
  );
}
