import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, type Post } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';
import { updatePost } from './post-cache';

interface Before {
  likedByMe: boolean;
  likeCount: number;
}

/**
 * Like or unlike at once on screen; the answer's exact count replaces the guess, and a failure puts back what
 * was there. One post's likes go out one after another, so the last click is the state that stays.
 */
export function useLike(post: Post) {
  const api = useApi();
  const client = useQueryClient();
  const id = post.id;
  return useMutation<{ liked: boolean; likeCount: number }, Error, boolean, Before>({
    scope: { id: `like:${id}` },
    mutationFn: (like) => {
      const path = { params: { path: { id } } };
      return unwrap(like ? api.PUT('/v1/posts/{id}/like', path) : api.DELETE('/v1/posts/{id}/like', path));
    },
    onMutate: async (like) => {
      await client.cancelQueries({ queryKey: keys.allPosts });
      let before: Before = { likedByMe: post.likedByMe, likeCount: post.likeCount };
      updatePost(client, id, (current) => {
        before = { likedByMe: current.likedByMe, likeCount: current.likeCount };
        const delta = current.likedByMe === like ? 0 : like ? 1 : -1;
        return { ...current, likedByMe: like, likeCount: current.likeCount + delta };
      });
      return before;
    },
    onError: (_error, _like, before) => {
      if (before) {
        updatePost(client, id, (current) => ({ ...current, ...before }));
      }
    },
    onSuccess: (state) => {
      updatePost(client, id, (current) => ({ ...current, likedByMe: state.liked, likeCount: state.likeCount }));
    },
    onSettled: () => client.invalidateQueries({ queryKey: keys.likers(id) }),
  });
}
