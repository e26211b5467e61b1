import { useInfiniteQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';

const PAGE = 10;

export function useTimeline() {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.timeline,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/timeline', { params: { query: { limit: PAGE, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
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
