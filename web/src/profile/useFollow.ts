import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, type User } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';

interface Before {
  followedByMe: boolean;
  followerCount: number;
}

/** Follow or unfollow at once on screen, the answer's count after, and back as it was if it fails. */
export function useFollow(user: User) {
  const api = useApi();
  const client = useQueryClient();
  const key = keys.user(user.username);
  const set = (change: (user: User) => User): void => {
    client.setQueryData<User>(key, (data) => data && change(data));
  };
  return useMutation<{ following: boolean; followerCount: number }, Error, boolean, Before>({
    scope: { id: `follow:${user.id}` },
    mutationFn: (follow) => {
      const path = { params: { path: { id: user.id } } };
      return unwrap(follow ? api.PUT('/v1/users/{id}/follow', path) : api.DELETE('/v1/users/{id}/follow', path));
    },
    onMutate: async (follow) => {
      await client.cancelQueries({ queryKey: key });
      const current = client.getQueryData<User>(key) ?? user;
      const before = { followedByMe: current.followedByMe, followerCount: current.followerCount };
      const delta = current.followedByMe === follow ? 0 : follow ? 1 : -1;
      set((data) => ({ ...data, followedByMe: follow, followerCount: data.followerCount + delta }));
      return before;
    },
    onError: (_error, _follow, before) => {
      if (before) {
        set((data) => ({ ...data, ...before }));
      }
    },
    onSuccess: (state) =>
      set((data) => ({ ...data, followedByMe: state.following, followerCount: state.followerCount })),
    onSettled: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.me }),
        client.invalidateQueries({ queryKey: keys.allFollows }),
        client.invalidateQueries({ queryKey: keys.timeline }),
      ]);
    },
  });
}
