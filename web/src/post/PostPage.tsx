import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, unwrap } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';
import { CommentsSection } from '../comments/CommentsSection';
import { ReportForm } from '../moderation/ReportForm';
import { CaptionEditor } from './CaptionEditor';
import { PostCard } from '../feed/PostCard';
import { findPost, updatePost } from '../feed/post-cache';
import { useMe } from '../profile/useMe';
import { useLikers } from '../profile/useUsers';
import { ErrorNotice } from '../ui/ErrorNotice';
import { UserList } from '../ui/UserList';

export function PostPage() {
  const { id = '' } = useParams();
  const api = useApi();
  const client = useQueryClient();
  const navigate = useNavigate();
  const me = useMe();
  const [reporting, setReporting] = useState(false);
  const post = useQuery({
    queryKey: keys.post(id),
    queryFn: () => unwrap(api.GET('/v1/posts/{id}', { params: { path: { id } } })),
    placeholderData: () => findPost(client, id),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/posts/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      updatePost(client, id, () => undefined);
      client.removeQueries({ queryKey: keys.post(id) });
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.me }),
        client.invalidateQueries({ queryKey: keys.allUsers }),
      ]);
      void navigate('/');
    },
  });
  if (post.isPending) {
    return <p aria-busy="true">Loading…</p>;
  }
  if (post.error instanceof ApiError && post.error.status === 404) {
    return <NotThere />;
  }
  if (post.error instanceof ApiError && post.error.status === 403) {
    return (
      <p className="empty">
        {post.error.code === 'user_blocked'
          ? 'You blocked the author of this post. Unblock them to see it.'
          : 'This post is from a private account. Follow it to see its posts.'}
      </p>
    );
  }
  // A failed refresh keeps the post on screen; only a post never loaded is an error page.
  if (!post.data) {
    return <ErrorNotice error={post.error} onRetry={() => void post.refetch()} />;
  }
  const mine = me.data?.id === post.data.author.id;
  // An admin deletes any post; the author edits and deletes their own; anyone else may report it.
  const deletable = mine || me.data?.admin === true;
  return (
    <div className="stack">
      <PostCard post={post.data} headingLevel={1} />
      {deletable ? (
        <div className="row">
          {mine ? <CaptionEditor post={post.data} /> : null}
          <button
            type="button"
            className="danger"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm('Delete this post? This cannot be undone.')) {
                remove.mutate();
              }
            }}
          >
            {remove.isPending ? 'Deleting…' : 'Delete post'}
          </button>
          {remove.isError ? <ErrorNotice error={remove.error} /> : null}
        </div>
      ) : null}
      {!mine && me.data ? (
        reporting ? (
          <ReportForm target={{ postId: id }} what="post" onDone={() => setReporting(false)} />
        ) : (
          <div>
            <button type="button" className="link" onClick={() => setReporting(true)}>
              Report this post
            </button>
          </div>
        )
      ) : null}
      <CommentsSection post={post.data} meId={me.data?.id} />
      <LikersPreview postId={id} likeCount={post.data.likeCount} />
    </div>
  );
}

function LikersPreview({ postId, likeCount }: { postId: string; likeCount: number }) {
  const likers = useLikers(postId, 5);
  return (
    <section className="card" aria-labelledby="likers-preview">
      <h2 id="likers-preview">Liked by</h2>
      <UserList query={likers} paged={false} label="Liked by" empty="No likes yet." />
      {likeCount > 5 ? <Link to={`/p/${postId}/likers`}>See all {likeCount.toLocaleString('en')}</Link> : null}
    </section>
  );
}

export function LikersPage() {
  const { id = '' } = useParams();
  const likers = useLikers(id);
  return (
    <section aria-labelledby="likers-title">
      <p>
        <Link to={`/p/${id}`}>← Post</Link>
      </p>
      <h1 id="likers-title">Likes</h1>
      <UserList query={likers} label="People who liked this post" empty="No likes yet." />
    </section>
  );
}

export function NotThere() {
  return (
    <section className="card stack">
      <h1>Not found</h1>
      <p>This page does not exist, or was deleted.</p>
      <Link to="/">Back home</Link>
    </section>
  );
}
