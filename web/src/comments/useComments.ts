import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, type Comment } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';
import { Toggles } from '../api/toggles';
import { updatePost } from '../feed/post-cache';
import { holdsComment, updateComment } from './comment-cache';

const PAGE = 20;

export function useComments(postId: string) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.comments(postId),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/posts/{id}/comments', {
          params: { path: { id: postId }, query: { limit: PAGE, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useReplies(commentId: string, enabled: boolean) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.replies(commentId),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/comments/{id}/replies', {
          params: { path: { id: commentId }, query: { limit: PAGE, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled,
  });
}

/** After a comment is added or deleted: its lists, its parent's reply count and the post's comment count. */
function useRefresh(postId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: keys.allComments }),
      client.invalidateQueries({ queryKey: keys.post(postId) }),
    ]);
}

export function useAddComment(postId: string) {
  const api = useApi();
  const client = useQueryClient();
  const refresh = useRefresh(postId);
  return useMutation({
    mutationFn: (body: { text: string; replyTo?: string }) =>
      unwrap(api.POST('/v1/posts/{id}/comments', { params: { path: { id: postId } }, body })),
    onSuccess: async () => {
      updatePost(client, postId, (post) => ({ ...post, commentCount: post.commentCount + 1 }));
      await refresh();
    },
  });
}

export function useDeleteComment(comment: Comment) {
  const api = useApi();
  const client = useQueryClient();
  const refresh = useRefresh(comment.postId);
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/comments/{id}', { params: { path: { id: comment.id } } })),
    onSuccess: async () => {
      updateComment(client, comment.id, () => undefined);
      // The post's count everywhere it shows (feed cards too): this comment and, for a thread, its replies.
      const gone = 1 + (comment.replyTo ? 0 : comment.replyCount);
      updatePost(client, comment.postId, (post) => ({ ...post, commentCount: Math.max(0, post.commentCount - gone) }));
      await refresh();
    },
  });
}

type LikeState = Pick<Comment, 'likedByMe' | 'likeCount'>;
const likes = new Toggles<LikeState>();

/** A comment's like, shown at once; the last answer (or the last confirmed state) when they come back. */
export function useLikeComment(comment: Comment) {
  const api = useApi();
  const client = useQueryClient();
  const id = comment.id;
  const show = (state: LikeState | undefined): void => {
    if (state) {
      updateComment(client, id, (current) => ({ ...current, ...state }));
    }
  };
  return useMutation<{ liked: boolean; likeCount: number }, Error, boolean>({
    scope: { id: `comment-like:${id}` },
    mutationFn: (like) => {
      const path = { params: { path: { id } } };
      return unwrap(like ? api.PUT('/v1/comments/{id}/like', path) : api.DELETE('/v1/comments/{id}/like', path));
    },
    onMutate: async (like) => {
      // A list fetch already out would bring back the state from before the click.
      await client.cancelQueries({
        queryKey: keys.allComments,
        predicate: (query) => holdsComment(query.state.data, id),
      });
      let before: LikeState = { likedByMe: comment.likedByMe, likeCount: comment.likeCount };
      updateComment(client, id, (current) => {
        before = { likedByMe: current.likedByMe, likeCount: current.likeCount };
        const delta = current.likedByMe === like ? 0 : like ? 1 : -1;
        return { ...current, likedByMe: like, likeCount: current.likeCount + delta };
      });
      likes.started(id, before);
    },
    onError: () => show(likes.failed(id)),
    onSuccess: (state) => show(likes.succeeded(id, { likedByMe: state.liked, likeCount: state.likeCount })),
  });
}

/** The post author's switch: comments on or off (PATCH sends only that). */
export function useCommentsEnabled(postId: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (commentsEnabled: boolean) =>
      unwrap(api.PATCH('/v1/posts/{id}', { params: { path: { id: postId } }, body: { commentsEnabled } })),
    onSuccess: (post) =>
      updatePost(client, postId, (current) => ({ ...current, commentsEnabled: post.commentsEnabled })),
  });
}
