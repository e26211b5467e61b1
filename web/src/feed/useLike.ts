import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, type Post } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';
import { Toggles } from '../api/toggles';
import { holdsPost, updatePost } from './post-cache';

type LikeState = Pick<Post, 'likedByMe' | 'likeCount'>;

const likes = new Toggles<LikeState>();

/**
 * Like or unlike at once on screen. One post's likes go out one after another; when the last comes back the screen
 * shows its exact count, or, if it failed, the last state the server confirmed.
 */
export function useLike(post: Post) {
  const api = useApi();
  const client = useQueryClient();
  const id = post.id;
  const show = (state: LikeState | undefined): void => {
    if (state) {
      updatePost(client, id, (current) => ({ ...current, ...state }));
    }
  };
  return useMutation<{ liked: boolean; likeCount: number }, Error, boolean>({
    scope: { id: `like:${id}` },
    mutationFn: (like) => {
      const path = { params: { path: { id } } };
      return unwrap(like ? api.PUT('/v1/posts/{id}/like', path) : api.DELETE('/v1/posts/{id}/like', path));
    },
    onMutate: async (like) => {
      // A fetch of this post already out would bring back the count from before the click.
      await client.cancelQueries({ queryKey: keys.allPosts, predicate: (query) => holdsPost(query.state.data, id) });
      let before: LikeState = { likedByMe: post.likedByMe, likeCount: post.likeCount };
      updatePost(client, id, (current) => {
        before = { likedByMe: current.likedByMe, likeCount: current.likeCount };
        const delta = current.likedByMe === like ? 0 : like ? 1 : -1;
        return { ...current, likedByMe: like, likeCount: current.likeCount + delta };
      });
      likes.started(id, before);
    },
    onError: () => show(likes.failed(id)),
    onSuccess: (state) => show(likes.succeeded(id, { likedByMe: state.liked, likeCount: state.likeCount })),
    onSettled: () => client.invalidateQueries({ queryKey: keys.likers(id) }),
  });
}
