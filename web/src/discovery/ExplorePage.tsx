import { ErrorNotice } from '../ui/ErrorNotice';
import { LoadMore } from '../ui/LoadMore';
import { PostGrid } from '../ui/PostGrid';
import { useExplore } from './useDiscovery';

/** Posts to discover: the day's most liked from accounts I don't follow, then recent ones. */
export function ExplorePage() {
  const explore = useExplore();
  const items = explore.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="stack" aria-labelledby="explore-title">
      <h1 id="explore-title">Explore</h1>
      {explore.isPending ? <p aria-busy="true">Loading…</p> : null}
      {explore.isError ? <ErrorNotice error={explore.error} onRetry={() => void explore.refetch()} /> : null}
      {explore.isSuccess && items.length === 0 && !explore.hasNextPage ? (
        <p className="empty">Nothing to explore yet.</p>
      ) : null}
      <PostGrid posts={items} label="Posts to explore" />
      {explore.data ? <LoadMore pages={explore} /> : null}
    </section>
  );
}
