import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { unwrap } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';

/** Results a search shows as you type (people and tags alike): what fits the screen under the box. */
const SEARCH_RESULTS = 10;

/** How long typing pauses before a search goes out. */
export const SEARCH_DEBOUNCE_MS = 250;

/** The value once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms = SEARCH_DEBOUNCE_MS): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** People matching what was typed (1-30 characters), best first. */
export function useUserSearch(q: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.searchUsers(q),
    queryFn: () => unwrap(api.GET('/v1/search/users', { params: { query: { q, limit: SEARCH_RESULTS } } })),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });
}

export function useTagSearch(q: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.searchTags(q),
    queryFn: () => unwrap(api.GET('/v1/search/tags', { params: { query: { q, limit: SEARCH_RESULTS } } })),
    enabled: q.replace(/^#/, '').length > 0,
    placeholderData: keepPreviousData,
  });
}

export function useTag(tag: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.tag(tag),
    queryFn: () => unwrap(api.GET('/v1/tags/{tag}', { params: { path: { tag } } })),
  });
}

export function useTagPosts(tag: string) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.tagPosts(tag),
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/tags/{tag}/posts', { params: { path: { tag }, query: { limit: 24, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useExplore() {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.explore,
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/explore', { params: { query: { limit: 24, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useSuggestions() {
  const api = useApi();
  return useQuery({
    queryKey: keys.suggestions,
    queryFn: () => unwrap(api.GET('/v1/me/suggestions', { params: { query: { limit: 8 } } })),
  });
}

/** Follows someone from a list of suggestions; the timeline fills with their posts. */
export function useFollowSuggested() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => unwrap(api.PUT('/v1/users/{id}/follow', { params: { path: { id: userId } } })),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: keys.timeline }),
        client.invalidateQueries({ queryKey: keys.allUsers }),
        client.invalidateQueries({ queryKey: keys.me }),
      ]),
  });
}
