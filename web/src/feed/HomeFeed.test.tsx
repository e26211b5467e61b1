import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aPost, json, renderApp } from '../test-utils';
import { HomeFeed } from './HomeFeed';

const pages: Record<string, unknown> = {
  first: { items: [aPost({ id: 'p1', caption: 'newest' }), aPost({ id: 'p2', caption: 'second' })], nextCursor: 'c2' },
  c2: { items: [aPost({ id: 'p3', caption: 'oldest' })], nextCursor: null },
};

function timeline(request: Request): Response {
  const cursor = new URL(request.url).searchParams.get('cursor');
  return json(pages[cursor ?? 'first']);
}

describe('HomeFeed', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads older posts page by page until the end, and says so', async () => {
    const view = renderApp(<HomeFeed />, { handler: timeline });
    expect(await screen.findByText('newest')).toBeInTheDocument();
    expect(screen.queryByText('oldest')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Load older posts' }));
    expect(await screen.findByText('oldest')).toBeInTheDocument();
    expect(screen.getAllByRole('article')).toHaveLength(3);
    expect(screen.getByText('You are all caught up.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load older posts' })).toBeNull();
    expect(view.requests.map((request) => new URL(request.url).search)).toEqual(['?limit=10', '?limit=10&cursor=c2']);
  });

  it('loads the next page by itself when the end of the list scrolls into view', async () => {
    const observed: ((entries: { isIntersecting: boolean }[]) => void)[] = [];
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        constructor(callback: (entries: { isIntersecting: boolean }[]) => void) {
          observed.push(callback);
        }
        observe() {}
        disconnect() {}
      },
    );
    renderApp(<HomeFeed />, { handler: timeline });
    await screen.findByText('newest');
    act(() => observed.at(-1)?.([{ isIntersecting: true }]));
    expect(await screen.findByText('oldest')).toBeInTheDocument();
  });

  it('tells a new user how to fill an empty timeline', async () => {
    renderApp(<HomeFeed />, { handler: () => json({ items: [], nextCursor: null }) });
    expect(await screen.findByRole('heading', { name: 'Your timeline is empty' })).toBeInTheDocument();
    expect(screen.getByLabelText('Find a person by username')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'share your first photo' })).toHaveAttribute('href', '/new');
    await waitFor(() => expect(screen.queryByText('You are all caught up.')).toBeNull());
  });
});
