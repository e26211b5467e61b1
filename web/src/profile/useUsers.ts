import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';

export function useUser(username: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.user(username),
    queryFn: () => unwrap(api.GET('/v1/users/by-username/{username}', { params: { path: { username } } })),
  });
}

type Relation = 'followers' | 'following';

export function useFollowList(userId: string | undefined, relation: Relation) {
  const api = useApi();
  const id = userId ?? '';
  return useInfiniteQuery({
    queryKey: relation === 'followers' ? keys.followers(id) : keys.following(id),
    queryFn: ({ pageParam }) => {
      const params = { params: { path: { id }, query: { limit: 30, cursor: pageParam } } };
      return unwrap(
        relation === 'followers'
          ? api.GET('/v1/users/{id}/followers', params)
          : api.GET('/v1/users/{id}/following', params),
      );
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: userId !== undefined,
  });
}

export function useLikers(postId: string, limit = 30) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: [...keys.likers(postId), limit],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/posts/{id}/likers', { params: { path: { id: postId }, query: { limit, cursor: pageParam } } }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
