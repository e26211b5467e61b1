import { Link, useParams } from 'react-router';
import { PostGrid as Grid } from '../ui/PostGrid';
import { ApiError, type User } from '../api/client';
import { useUserPosts } from '../feed/usePostPages';
import { NotThere } from '../post/PostPage';
import { Avatar } from '../ui/Avatar';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LoadMore } from '../ui/LoadMore';
import { count } from '../ui/time';
import { ProfileActions } from './ProfileActions';
import { useFollow } from './useFollow';
import { useMe } from './useMe';
import { useUser } from './useUsers';

export function ProfilePage() {
  const { username = '' } = useParams();
  const user = useUser(username);
  const me = useMe();
  if (user.isPending) {
    return <p aria-busy="true">Loading…</p>;
  }
  if (user.error instanceof ApiError && (user.error.status === 404 || user.error.status === 400)) {
    return <NotThere />;
  }
  if (!user.data) {
    return <ErrorNotice error={user.error} onRetry={() => void user.refetch()} />;
  }
  const mine = me.data?.id === user.data.id;
  return (
    <div className="stack">
      <header className="profile">
        <Avatar url={user.data.avatarVariants[2]?.url ?? user.data.avatarUrl} name={user.data.displayName} size={88} />
        <div className="stack">
          <h1 className="profile-name">
            {user.data.username}
            {user.data.private ? (
              <span className="badge" title="Private account">
                Private
              </span>
            ) : null}
          </h1>
          <p>
            {user.data.displayName}
            {!mine && user.data.followsMe ? <span className="badge">Follows you</span> : null}
          </p>
          <ul className="counts" aria-label="Counts">
            <li>{count(user.data.postCount, 'post', 'posts')}</li>
            <li>
              <Link to={`/u/${user.data.username}/followers`} data-testid="follower-count">
                {count(user.data.followerCount, 'follower', 'followers')}
              </Link>
            </li>
            <li>
              <Link to={`/u/${user.data.username}/following`}>
                {user.data.followingCount.toLocaleString('en')} following
              </Link>
            </li>
          </ul>
          {/* Nothing until /v1/me says whose profile this is: never a Follow button on my own. */}
          {me.data === undefined ? (
            <span className="action-placeholder" aria-hidden="true" />
          ) : mine ? (
            <nav className="row" aria-label="Your settings">
              <Link to="/settings/profile">Edit profile</Link>
              <Link to="/settings/requests">Follow requests</Link>
              <Link to="/settings/blocked">Blocked and muted</Link>
              {me.data.admin ? <Link to="/admin/reports">Reports</Link> : null}
            </nav>
          ) : (
            <div className="row">
              {user.data.blockedByMe ? null : <FollowButton user={user.data} />}
              <ProfileActions user={user.data} />
            </div>
          )}
        </div>
      </header>
      {user.data.bio ? <p className="bio">{user.data.bio}</p> : null}
      {user.data.blockedByMe ? (
        <p className="empty">You blocked {user.data.username}. Unblock them to see their posts.</p>
      ) : !mine && !me.data?.admin && user.data.private && !user.data.followedByMe ? (
        <p className="empty">
          This account is private.{' '}
          {user.data.requestedByMe ? 'Your request to follow is waiting.' : 'Follow to see its posts.'}
        </p>
      ) : (
        <PostGrid user={user.data} mine={mine} />
      )}
    </div>
  );
}

function FollowButton({ user }: { user: User }) {
  const follow = useFollow(user);
  return (
    <div>
      <button
        type="button"
        className={user.followedByMe || user.requestedByMe ? '' : 'primary'}
        onClick={() => follow.mutate(!(user.followedByMe || user.requestedByMe))}
      >
        {user.followedByMe ? 'Following' : user.requestedByMe ? 'Requested' : 'Follow'}
      </button>
      {follow.isError ? (
        <p role="alert" className="error small">
          Not saved: {follow.error.message}
        </p>
      ) : null}
    </div>
  );
}

function PostGrid({ user, mine }: { user: User; mine: boolean }) {
  const posts = useUserPosts(user.id);
  if (posts.isPending) {
    return <p aria-busy="true">Loading posts…</p>;
  }
  if (!posts.data) {
    return <ErrorNotice error={posts.error} onRetry={() => void posts.refetch()} />;
  }
  const items = posts.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <p className="empty">
        {mine ? (
          <>
            No posts yet. <Link to="/new">Share your first photo</Link>.
          </>
        ) : (
          'No posts yet.'
        )}
      </p>
    );
  }
  return (
    <>
      <Grid posts={items} label={`Posts by ${user.username}`} />
      <LoadMore pages={posts} />
    </>
  );
}
