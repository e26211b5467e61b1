import { useEffect, useRef } from 'react';
import { ErrorNotice } from './ErrorNotice';

interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  error: Error | null;
  fetchNextPage: () => Promise<unknown>;
}

/** Loads the next page when it scrolls into view; also a button, for keyboards and when observing is off. */
export function LoadMore({ pages, label = 'Load more' }: { pages: Pages; label?: string }) {
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = pages;
  useEffect(() => {
    const element = sentinel.current;
    // After a failed page the button asks again; scrolling would retry it in a loop.
    if (!element || !hasNextPage || isFetchNextPageError || typeof IntersectionObserver === 'undefined') {
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) {
          void fetchNextPage();
        }
      },
      { rootMargin: '800px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);
  if (!hasNextPage) {
    return null;
  }
  return (
    <div ref={sentinel} className="load-more">
      {isFetchNextPageError ? <ErrorNotice error={pages.error} /> : null}
      <button type="button" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
        {isFetchingNextPage ? 'Loading…' : isFetchNextPageError ? 'Try again' : label}
      </button>
    </div>
  );
}
