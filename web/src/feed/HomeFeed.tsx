import { useState, type FormEvent } from 'react';
import { Suggestions } from '../discovery/Suggestions';
import { Link, useNavigate } from 'react-router';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LoadMore } from '../ui/LoadMore';
import { PostCard } from './PostCard';
import { useTimeline } from './usePostPages';

export function HomeFeed() {
  const timeline = useTimeline();
  if (timeline.isPending) {
    return <p aria-busy="true">Loading your timeline…</p>;
  }
  if (!timeline.data) {
    return <ErrorNotice error={timeline.error} onRetry={() => void timeline.refetch()} />;
  }
  const posts = timeline.data.pages.flatMap((page) => page.items);
  return (
    <>
      <h1 className="visually-hidden">Home</h1>
      {posts.length === 0 ? <EmptyTimeline /> : null}
      <div className="feed">
        {posts.map((post, index) => (
          <PostCard key={post.id} post={post} first={index === 0} />
        ))}
      </div>
      <LoadMore pages={timeline} label="Load older posts" />
      {posts.length > 0 && !timeline.hasNextPage ? <p className="muted center">You are all caught up.</p> : null}
    </>
  );
}

function EmptyTimeline() {
  return (
    <section className="card stack empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">Your timeline is empty</h2>
      <p>Posts from the people you follow, and your own, appear here, newest first.</p>
      <FindPerson />
      <p>
        Or <Link to="/new">share your first photo</Link>, or <Link to="/explore">explore</Link>.
      </p>
      <Suggestions />
    </section>
  );
}

/** Straight to a profile by its exact username (search finds people by part of a name). */
export function FindPerson() {
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const name = username.trim().replace(/^@/, '').toLowerCase();
    if (name !== '') {
      void navigate(`/u/${encodeURIComponent(name)}`);
    }
  };
  return (
    <form onSubmit={submit} className="row" role="search">
      <label className="grow">
        Find a person by username
        <input
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          placeholder="username"
          autoCapitalize="none"
        />
      </label>
      <button type="submit">Go</button>
    </form>
  );
}
