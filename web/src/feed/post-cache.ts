import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Post, PostPage } from '../api/client';
import { keys } from '../api/keys';

type Change = (post: Post) => Post | undefined;

/** Applies a change to one post wherever it is cached (timeline, profiles, its page); undefined removes it. */
export function updatePost(client: QueryClient, id: string, change: Change): void {
  client.setQueriesData<Post | InfiniteData<PostPage>>({ queryKey: keys.allPosts }, (data) =>
    applyTo(data, id, change),
  );
}

export function findPost(client: QueryClient, id: string): Post | undefined {
  for (const [, data] of client.getQueriesData<Post | InfiniteData<PostPage>>({ queryKey: keys.allPosts })) {
    const found = isPages(data) ? data.pages.flatMap((page) => page.items).find((post) => post.id === id) : data;
    if (found?.id === id) {
      return found;
    }
  }
  return undefined;
}

function applyTo(
  data: Post | InfiniteData<PostPage> | undefined,
  id: string,
  change: Change,
): Post | InfiniteData<PostPage> | undefined {
  if (data === undefined) {
    return data;
  }
  if (isPages(data)) {
    if (!data.pages.some((page) => page.items.some((post) => post.id === id))) {
      return data;
    }
    return {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        items: page.items.flatMap((post) => (post.id === id ? (change(post) ?? []) : [post])),
      })),
    };
  }
  return data.id === id ? change(data) : data;
}

/** Whether a cached query's data has this post in it. */
export function holdsPost(data: unknown, id: string): boolean {
  const cached = data as Post | InfiniteData<PostPage> | undefined;
  return isPages(cached) ? cached.pages.some((page) => page.items.some((post) => post.id === id)) : cached?.id === id;
}

function isPages(data: Post | InfiniteData<PostPage> | undefined): data is InfiniteData<PostPage> {
  return data !== undefined && 'pages' in data;
}
