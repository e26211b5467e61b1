import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, type User } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';
import { Toggles } from '../api/toggles';

type FollowState = Pick<User, 'followedByMe' | 'requestedByMe' | 'followerCount'>;

const follows = new Toggles<FollowState>();

/**
 * Follow or unfollow at once on screen (a private account's follow shows as requested, and unfollowing withdraws the
 * request); the last answer's count after, or the last confirmed state if it failed.
 */
export function useFollow(user: User) {
  const api = useApi();
  const client = useQueryClient();
  const key = keys.user(user.username);
  const show = (state: FollowState | undefined): void => {
    if (state) {
      client.setQueryData<User>(key, (data) => data && { ...data, ...state });
    }
  };
  const scope = `follow:${user.id}`;
  return useMutation<{ following: boolean; requested: boolean; followerCount: number }, Error, boolean>({
    scope: { id: scope },
    mutationFn: (follow) => {
      const path = { params: { path: { id: user.id } } };
      return unwrap(follow ? api.PUT('/v1/users/{id}/follow', path) : api.DELETE('/v1/users/{id}/follow', path));
    },
    onMutate: async (follow) => {
      await client.cancelQueries({ queryKey: key });
      const current = client.getQueryData<User>(key) ?? user;
      const { followedByMe, requestedByMe, followerCount } = current;
      follows.started(user.id, { followedByMe, requestedByMe, followerCount });
      // A private account I do not follow yet answers with a request, not a follow.
      const asks = follow && current.private && !followedByMe;
      const delta = asks || followedByMe === follow ? 0 : follow ? 1 : -1;
      show({ followedByMe: follow && !asks, requestedByMe: asks, followerCount: followerCount + delta });
    },
    onError: () => show(follows.failed(user.id)),
    onSuccess: (state) =>
      show(
        follows.succeeded(user.id, {
          followedByMe: state.following,
          requestedByMe: state.requested,
          followerCount: state.followerCount,
        }),
      ),
    onSettled: async () => {
      // This one still counts as pending here; a later click will refresh these when it settles.
      if (client.isMutating({ predicate: (mutation) => mutation.options.scope?.id === scope }) > 1) {
        return;
      }
      // My own profile's following count, the lists either of us is in, and my timeline (the backfill) moved.
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.me }),
        client.invalidateQueries({ queryKey: keys.allFollows }),
        client.invalidateQueries({
          queryKey: keys.allUsers,
          predicate: (query) => query.queryKey[2] !== user.username,
        }),
        client.invalidateQueries({ queryKey: keys.timeline }),
      ]);
    },
  });
}
