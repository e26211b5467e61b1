import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';

const PAGE = 20;
/** How often the badge asks while the tab is visible (TanStack Query pauses it in a hidden tab). */
export const UNREAD_POLL_MS = 30_000;

/** My notifications, last updated first. */
export function useNotifications() {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.notifications,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/notifications', { params: { query: { limit: PAGE, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/**
 * The unread count for the badge, polled while the tab is visible and asked again when it comes back. The API
 * answers with an ETag and `no-cache`, so the browser revalidates and an unchanged count costs a 304.
 */
export function useUnreadCount() {
  const api = useApi();
  return useQuery({
    queryKey: keys.unreadCount,
    queryFn: () => unwrap(api.GET('/v1/notifications/unread-count')),
    refetchInterval: UNREAD_POLL_MS,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
  });
}

/** Marks read everything up to `until` (what the list showed); the badge follows. */
export function useMarkRead() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (until: string) => unwrap(api.POST('/v1/notifications/read', { body: { until } })),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.unreadCount }),
  });
}
