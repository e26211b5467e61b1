import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../api/client';
import { json, renderApp } from '../test-utils';
import { NotificationsLink } from './NotificationsLink';
import { NotificationsPage } from './NotificationsPage';

const person = (id: string) => ({ id, username: id, displayName: id.toUpperCase(), avatarUrl: null });

function anItem(overrides: Partial<Notification>): Notification {
  return {
    id: 'n1',
    type: 'like',
    actors: [person('bob')],
    actorCount: 1,
    post: null,
    comment: null,
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    read: false,
    ...overrides,
  };
}

describe('NotificationsPage', () => {
  it('shows grouped likes, a reply and a follow request, and marks read up to the newest row the page covers', async () => {
    const items = [
      anItem({
        id: 'g1',
        actors: [person('bob'), person('cat'), person('dan')],
        actorCount: 1204,
        post: { id: 'p1', thumbnailUrl: 'http://localhost/m/p1-w320' },
        updatedAt: '2026-12-01T12:00:00.000Z',
      }),
      anItem({
        id: 'c1',
        type: 'reply',
        comment: { id: 'c1', text: 'so true' },
        post: { id: 'p1', thumbnailUrl: null },
      }),
      anItem({ id: 'fr1', type: 'follow_request', actors: [person('eve')], read: true }),
    ];
    const { requests } = renderApp(<NotificationsPage />, {
      handler: (request) => {
        const { pathname } = new URL(request.url);
        if (pathname === '/v1/notifications') {
          return json({ items, newestAt: '2026-12-01T12:00:01.000Z', nextCursor: null });
        }
        if (pathname === '/v1/notifications/unread-count') {
          return json({ count: 0, more: false });
        }
        return new Response(null, { status: 204 });
      },
    });

    const likes = await screen.findByRole('link', { name: /bob and 1,203 others liked your post/ });
    expect(likes).toHaveAttribute('href', '/p/p1');
    expect(screen.getByRole('link', { name: /bob replied to your comment: “so true”/ })).toHaveAttribute(
      'href',
      '/p/p1',
    );
    expect(screen.getByRole('link', { name: /eve asked to follow you/ })).toHaveAttribute('href', '/settings/requests');
    expect(screen.getAllByText('New:')).toHaveLength(2);
    await waitFor(() => expect(requests.some((request) => request.method === 'POST')).toBe(true));
    const marks = requests.filter((request) => request.method === 'POST');
    expect(marks.map((request) => new URL(request.url).pathname)).toEqual(['/v1/notifications/read']);
    expect(await marks[0].json()).toEqual({ until: '2026-12-01T12:00:01.000Z' });
  });

  it('says so when there is nothing, and marks nothing read', async () => {
    const { requests } = renderApp(<NotificationsPage />, {
      handler: () => json({ items: [], newestAt: null, nextCursor: null }),
    });

    expect(await screen.findByText('Nothing yet.')).toBeInTheDocument();
    expect(requests.filter((request) => request.method === 'POST')).toEqual([]);
  });
});

describe('NotificationsLink', () => {
  it('shows the unread count beside the link, and nothing at zero', async () => {
    let count = 3;
    const { client } = renderApp(<NotificationsLink />, {
      handler: () => json({ count, more: count > 2 }),
    });

    expect(await screen.findByRole('link', { name: 'Notifications, 3+ unread' })).toHaveAttribute(
      'href',
      '/notifications',
    );
    count = 0;
    await client.invalidateQueries();
    expect(await screen.findByRole('link', { name: 'Notifications' })).toBeInTheDocument();
  });
});
