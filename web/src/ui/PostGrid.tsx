import { Link } from 'react-router';
import type { Post } from '../api/client';
import { Blurhash } from './Blurhash';

/** Posts as a grid of square thumbnails, each linking to its post (profiles, tag pages, explore). */
export function PostGrid({ posts, label }: { posts: Post[]; label: string }) {
  return (
    <ul className="grid" aria-label={label}>
      {posts.map((post) => {
        const cover = post.media[0];
        const thumb = cover?.variants[0]?.url ?? post.imageUrl;
        return (
          <li key={post.id}>
            <Link to={`/p/${post.id}`} className="grid-cell">
              {cover ? <Blurhash hash={cover.blurhash} className="frame-placeholder" /> : null}
              <img
                src={thumb}
                alt={cover?.altText ?? `Post by ${post.author.username}`}
                loading="lazy"
                decoding="async"
              />
              {post.media.length > 1 ? (
                <span className="grid-badge" aria-label={`${post.media.length} photos`}>
                  {post.media.length}
                </span>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
