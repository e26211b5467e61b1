import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Comment, CommentPage } from '../api/client';
import { keys } from '../api/keys';

/** Applies a change to one comment wherever a list of comments holds it; undefined removes it. */
export function updateComment(client: QueryClient, id: string, change: (comment: Comment) => Comment | undefined) {
  client.setQueriesData<InfiniteData<CommentPage>>({ queryKey: keys.allComments }, (data) =>
    data?.pages.some((page) => page.items.some((item) => item.id === id))
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            items: page.items.flatMap((item) => (item.id === id ? (change(item) ?? []) : [item])),
          })),
        }
      : data,
  );
}

/** Whether a cached list of comments has this one in it. */
export function holdsComment(data: unknown, id: string): boolean {
  const pages = (data as InfiniteData<CommentPage> | undefined)?.pages;
  return pages?.some((page) => page.items.some((item) => item.id === id)) ?? false;
}
