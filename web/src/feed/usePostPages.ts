import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { unwrap, type Api } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';

const PAGE = 10;

/** The home timeline's query, also started by main.tsx before React first renders. */
export function timelineQuery(api: Api) {
  return infiniteQueryOptions({
    queryKey: keys.timeline,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/timeline', { params: { query: { limit: PAGE, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useTimeline() {
  return useInfiniteQuery(timelineQuery(useApi()));
}

export function useUserPosts(userId: string | undefined) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.userPosts(userId ?? ''),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/users/{id}/posts', {
          params: { path: { id: userId ?? '' }, query: { limit: 24, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: userId !== undefined,
  });
}
