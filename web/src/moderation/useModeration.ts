import { useInfiniteQuery, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { unwrap, type Schemas, type User } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';

const PAGE = 30;

/** What a block or a mute can change on screen: profiles, lists, timelines, comments and likers. */
async function refreshAround(client: QueryClient): Promise<void> {
  await Promise.all(
    [keys.me, keys.allUsers, keys.allFollows, keys.allPosts, keys.allComments, keys.allLikers].map((queryKey) =>
      client.invalidateQueries({ queryKey }),
    ),
  );
}

/** Blocks (true) or unblocks (false) the user; their profile shows it at once after the answer. */
export function useBlock(user: User) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (block: boolean) => {
      const path = { params: { path: { id: user.id } } };
      return unwrap(block ? api.PUT('/v1/users/{id}/block', path) : api.DELETE('/v1/users/{id}/block', path));
    },
    onSuccess: async ({ blocked }) => {
      // A block ends the follows both ways and any request.
      const ended = blocked ? { followedByMe: false, followsMe: false, requestedByMe: false } : {};
      client.setQueryData<User>(
        keys.user(user.username),
        (data) => data && { ...data, ...ended, blockedByMe: blocked },
      );
      await refreshAround(client);
    },
  });
}

/** Mutes (true) or unmutes (false) the user: only my timeline changes. */
export function useMute(user: User) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mute: boolean) => {
      const path = { params: { path: { id: user.id } } };
      return unwrap(mute ? api.PUT('/v1/users/{id}/mute', path) : api.DELETE('/v1/users/{id}/mute', path));
    },
    onSuccess: async ({ muted }) => {
      client.setQueryData<User>(keys.user(user.username), (data) => data && { ...data, mutedByMe: muted });
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.timeline }),
        client.invalidateQueries({ queryKey: keys.mutes }),
      ]);
    },
  });
}

export function useReport() {
  const api = useApi();
  return useMutation({
    mutationFn: (body: Schemas['CreateReportRequest']) => unwrap(api.POST('/v1/reports', { body })),
  });
}

/** Who asked to follow me, newest first. */
export function useFollowRequests() {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.followRequests,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/me/follow-requests', { params: { query: { limit: PAGE, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** Approves (true) or denies (false) a follow request. */
export function useAnswerRequest() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ userId, approve }: { userId: string; approve: boolean }) => {
      const path = { params: { path: { id: userId } } };
      if (approve) {
        await unwrap(api.PUT('/v1/me/follow-requests/{id}', path));
      } else {
        await unwrap(api.DELETE('/v1/me/follow-requests/{id}', path));
      }
    },
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.allFollows }),
        client.invalidateQueries({ queryKey: keys.me }),
        client.invalidateQueries({ queryKey: keys.allUsers }),
      ]);
    },
  });
}

/** The people I blocked or muted, newest first. */
export function useMarkedList(kind: 'blocks' | 'mutes') {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: kind === 'blocks' ? keys.blocks : keys.mutes,
    queryFn: ({ pageParam }) => {
      const params = { params: { query: { limit: PAGE, cursor: pageParam } } };
      return unwrap(kind === 'blocks' ? api.GET('/v1/me/blocks', params) : api.GET('/v1/me/mutes', params));
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** Lifts a block or a mute from the lists page. */
export function useUnmark(kind: 'blocks' | 'mutes') {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (userId: string): Promise<void> => {
      const path = { params: { path: { id: userId } } };
      if (kind === 'blocks') {
        await unwrap(api.DELETE('/v1/users/{id}/block', path));
      } else {
        await unwrap(api.DELETE('/v1/users/{id}/mute', path));
      }
    },
    onSuccess: () => refreshAround(client),
  });
}

/** Removes one of my followers: they stop following me (and my posts leave their timeline). */
export function useRemoveFollower() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => unwrap(api.DELETE('/v1/me/followers/{id}', { params: { path: { id: userId } } })),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.allFollows }),
        client.invalidateQueries({ queryKey: keys.me }),
        client.invalidateQueries({ queryKey: keys.allUsers }),
      ]);
    },
  });
}
