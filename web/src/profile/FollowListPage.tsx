import { Link, useParams } from 'react-router';
import { useRemoveFollower } from '../moderation/useModeration';
import { ErrorNotice } from '../ui/ErrorNotice';
import { UserList } from '../ui/UserList';
import { useMe } from './useMe';
import { useFollowList, useUser } from './useUsers';

export function FollowListPage({ relation }: { relation: 'followers' | 'following' }) {
  const { username = '' } = useParams();
  const user = useUser(username);
  const list = useFollowList(user.data?.id, relation);
  const me = useMe();
  const remove = useRemoveFollower();
  // My own followers: each can be removed (they stop following me).
  const mine = relation === 'followers' && me.data !== undefined && me.data.id === user.data?.id;
  const title = relation === 'followers' ? 'Followers' : 'Following';
  return (
    <section aria-labelledby="list-title">
      <p>
        <Link to={`/u/${username}`}>← {username}</Link>
      </p>
      <h1 id="list-title">{title}</h1>
      {remove.isError ? <ErrorNotice error={remove.error} /> : null}
      {user.isError ? (
        <ErrorNotice error={user.error} />
      ) : (
        <UserList
          query={list}
          label={`${title} of ${username}`}
          empty={relation === 'followers' ? 'No followers yet.' : 'Not following anyone yet.'}
          action={
            mine
              ? (follower) => (
                  <button
                    type="button"
                    disabled={remove.isPending}
                    onClick={() => remove.mutate(follower.id)}
                    aria-label={`Remove ${follower.username} from your followers`}
                  >
                    Remove
                  </button>
                )
              : undefined
          }
        />
      )}
    </section>
  );
}
