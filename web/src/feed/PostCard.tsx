import { Link } from 'react-router';
import { RichText } from '../ui/RichText';
import type { Post } from '../api/client';
import { Avatar } from '../ui/Avatar';
import { ago, count } from '../ui/time';
import { LikeButton } from './LikeButton';
import { MediaCarousel } from './MediaCarousel';
import { useLike } from './useLike';

/** `first`: the top of the screen, whose photo is fetched ahead of everything else. */
export function PostCard({
  post,
  headingLevel = 2,
  first = false,
}: {
  post: Post;
  headingLevel?: 1 | 2;
  first?: boolean;
}) {
  const like = useLike(post);
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  return (
    <article className="post" aria-labelledby={`post-${post.id}`}>
      <header className="post-header">
        <Link to={`/u/${post.author.username}`} className="user-row">
          <Avatar url={post.author.avatarUrl} name={post.author.displayName} />
          <Heading id={`post-${post.id}`} className="post-author">
            {post.author.username}
          </Heading>
        </Link>
        <Link to={`/p/${post.id}`} className="muted small">
          <time dateTime={post.createdAt}>{ago(post.createdAt)}</time>
          {post.editedAt ? ' · edited' : null}
        </Link>
      </header>
      <MediaCarousel
        media={post.media}
        fallbackUrl={post.imageUrl}
        author={post.author.username}
        first={first || headingLevel === 1}
        onDoubleTap={() => (post.likedByMe ? undefined : like.mutate(true))}
      />
      <div className="post-actions">
        <LikeButton post={post} onToggle={(liked) => like.mutate(liked)} />
      </div>
      {like.isError ? (
        <p role="alert" className="error small">
          Your like was not saved: {like.error.message}
        </p>
      ) : null}
      <p className="post-likes">
        <Link to={`/p/${post.id}/likers`} aria-label={`${count(post.likeCount, 'like', 'likes')}: see who liked it`}>
          <strong data-testid="like-count">{count(post.likeCount, 'like', 'likes')}</strong>
        </Link>
      </p>
      {post.caption ? (
        <p className="post-caption">
          <Link to={`/u/${post.author.username}`}>
            <strong>{post.author.username}</strong>
          </Link>{' '}
          <RichText text={post.caption} />
        </p>
      ) : null}
      {headingLevel === 2 && post.commentCount > 0 ? (
        <p className="post-likes">
          <Link to={`/p/${post.id}`} className="muted">
            View {post.commentCount === 1 ? '1 comment' : `all ${post.commentCount.toLocaleString('en')} comments`}
          </Link>
        </p>
      ) : null}
    </article>
  );
}
