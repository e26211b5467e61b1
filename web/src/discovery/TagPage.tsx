import { useParams } from 'react-router';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LoadMore } from '../ui/LoadMore';
import { PostGrid } from '../ui/PostGrid';
import { count } from '../ui/time';
import { useTag, useTagPosts } from './useDiscovery';

/** A hashtag's page: how many posts have it, and the ones I may see, newest first. */
export function TagPage() {
  const tag = (useParams().tag ?? '').toLowerCase();
  const info = useTag(tag);
  const posts = useTagPosts(tag);
  const items = posts.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="stack" aria-labelledby="tag-title">
      <h1 id="tag-title">#{tag}</h1>
      {info.data ? <p className="muted">{count(info.data.postCount, 'post', 'posts')}</p> : null}
      {info.isError ? <ErrorNotice error={info.error} /> : null}
      {posts.isPending ? <p aria-busy="true">Loading…</p> : null}
      {posts.isError ? <ErrorNotice error={posts.error} onRetry={() => void posts.refetch()} /> : null}
      {posts.isSuccess && items.length === 0 && !posts.hasNextPage ? <p className="empty">No posts to show.</p> : null}
      <PostGrid posts={items} label={`Posts tagged #${tag}`} />
      {posts.data ? <LoadMore pages={posts} /> : null}
    </section>
  );
}
