import { useQuery } from '@tanstack/react-query';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { aPost, deferred, json, problem, renderApp } from '../test-utils';
import { PostCard } from './PostCard';
import { keys } from '../api/keys';
import type { Post } from '../api/client';

function renderPost(post: Post, handler: (request: Request) => Promise<Response> | Response) {
  const view = renderApp(<Cached id={post.id} />, { handler });
  view.client.setQueryData(keys.post(post.id), post);
  return view;
}

function Cached({ id }: { id: string }) {
  // Reads the post from the cache as the post page does, so optimistic updates show.
  const client = useCachedPost(id);
  return client ? <PostCard post={client} /> : null;
}

function useCachedPost(id: string): Post | undefined {
  return useQuery<Post>({
    queryKey: keys.post(id),
    queryFn: () => Promise.reject(new Error('not fetched')),
    enabled: false,
  }).data;
}

describe('PostCard', () => {
  it('likes a post from the feed: the count moves at once, then takes the server’s figure', async () => {
    const answer = deferred<Response>();
    const view = renderPost(aPost(), () => answer.promise);
    await userEvent.click(await screen.findByRole('button', { name: 'Like' }));
    expect(screen.getByRole('button', { name: 'Unlike' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('like-count')).toHaveTextContent('42 likes');
    answer.resolve(json({ liked: true, likeCount: 57 }));
    await waitFor(() => expect(screen.getByTestId('like-count')).toHaveTextContent('57 likes'));
    expect(view.requests).toHaveLength(1);
    expect(view.requests[0].method).toBe('PUT');
    expect(new URL(view.requests[0].url).pathname).toBe('/v1/posts/p1/like');
  });

  it('puts the like back and says so when the server refuses it', async () => {
    renderPost(aPost({ likedByMe: true, likeCount: 3 }), () =>
      problem(503, 'store_unavailable', 'the store is not answering'),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Unlike' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Your like was not saved: the store is not answering');
    expect(screen.getByRole('button', { name: 'Unlike' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('like-count')).toHaveTextContent('3 likes');
  });

  it('likes on a double tap of the photo, and a second double tap does not unlike', async () => {
    const view = renderPost(aPost(), () => json({ liked: true, likeCount: 42 }));
    await userEvent.dblClick(await screen.findByRole('img', { name: 'A lake' }));
    await waitFor(() => expect(screen.getByTestId('like-count')).toHaveTextContent('42 likes'));
    await userEvent.dblClick(screen.getByRole('img', { name: 'A lake' }));
    expect(view.requests.map((request) => request.method)).toEqual(['PUT']);
  });

  it('reserves each photo’s shape and offers the variants by width', async () => {
    renderPost(aPost(), () => json({}));
    const image = await screen.findByRole('img', { name: 'A lake' });
    expect(image).toHaveAttribute('width', '1200');
    expect(image).toHaveAttribute('height', '800');
    expect(image.getAttribute('srcset')).toBe('http://localhost/m/a-w320 320w, http://localhost/m/a-w1080 1080w');
    expect(image.parentElement).toHaveStyle({ aspectRatio: '1200 / 800' });
  });

  it('names an album’s photos by position when they have no alt text', async () => {
    const media = aPost().media[0];
    renderPost(aPost({ media: [media, { ...media, url: 'http://localhost/m/b', altText: null }] }), () => json({}));
    expect(await screen.findByRole('img', { name: 'Photo 2 of 2 by alice' })).toBeInTheDocument();
    expect(screen.getByText('1 / 2')).toBeInTheDocument();
  });
});
