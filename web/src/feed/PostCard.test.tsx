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
    await userEvent.click(await screen.findByRole('button', { name: 'Like', pressed: false }));
    expect(screen.getByRole('button', { name: 'Like' })).toHaveAttribute('aria-pressed', 'true');
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
    await userEvent.click(await screen.findByRole('button', { name: 'Like', pressed: true }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Your like was not saved: the store is not answering');
    expect(screen.getByRole('button', { name: 'Like' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('like-count')).toHaveTextContent('3 likes');
  });

  it('ends on the last click’s state when quick clicks all fail, not on an earlier guess', async () => {
    const answers = [deferred<Response>(), deferred<Response>(), deferred<Response>()];
    let call = 0;
    const view = renderPost(aPost({ likedByMe: false, likeCount: 5 }), () => answers[call++].promise);
    const button = await screen.findByRole('button', { name: 'Like' });
    await userEvent.click(button);
    await userEvent.click(button);
    await userEvent.click(button);
    expect(button).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('like-count')).toHaveTextContent('6 likes');
    for (const answer of answers) {
      answer.resolve(problem(503, 'store_unavailable', 'the store is not answering'));
      await waitFor(() =>
        expect(view.requests.length).toBeGreaterThanOrEqual(Math.min(3, answers.indexOf(answer) + 2)),
      );
    }
    await waitFor(() => expect(screen.getByTestId('like-count')).toHaveTextContent('5 likes'));
    expect(button).toHaveAttribute('aria-pressed', 'false');
    expect(view.requests.map((request) => request.method)).toEqual(['PUT', 'DELETE', 'PUT']);
  });

  it('shows the last answer’s count when quick clicks succeed out of step', async () => {
    const answers = [deferred<Response>(), deferred<Response>()];
    let call = 0;
    const view = renderPost(aPost({ likedByMe: false, likeCount: 5 }), () => answers[call++].promise);
    const button = await screen.findByRole('button', { name: 'Like' });
    await userEvent.click(button);
    await userEvent.click(button);
    answers[0].resolve(json({ liked: true, likeCount: 9 }));
    await waitFor(() => expect(view.requests).toHaveLength(2));
    // The first answer came back while the unlike is out: the screen keeps showing the unlike.
    expect(button).toHaveAttribute('aria-pressed', 'false');
    answers[1].resolve(json({ liked: false, likeCount: 8 }));
    await waitFor(() => expect(screen.getByTestId('like-count')).toHaveTextContent('8 likes'));
    expect(button).toHaveAttribute('aria-pressed', 'false');
  });

  it('likes on a double tap of the photo, and a second double tap does not unlike', async () => {
    const view = renderPost(aPost(), () => json({ liked: true, likeCount: 42 }));
    await userEvent.dblClick(await screen.findByRole('img', { name: 'A lake' }));
    await waitFor(() => expect(screen.getByTestId('like-count')).toHaveTextContent('42 likes'));
    await userEvent.dblClick(screen.getByRole('img', { name: 'A lake' }));
    expect(view.requests.map((request) => request.method)).toEqual(['PUT']);
  });

  it('does not like on a double click of the album’s arrows', async () => {
    const media = aPost().media[0];
    const view = renderPost(aPost({ media: [media, { ...media, url: 'http://localhost/m/b' }] }), () => json({}));
    await userEvent.dblClick(await screen.findByRole('button', { name: 'Next photo' }));
    expect(view.requests).toHaveLength(0);
    expect(screen.getByRole('button', { name: 'Next photo' })).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByRole('button', { name: 'Next photo' })).toHaveFocus();
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
