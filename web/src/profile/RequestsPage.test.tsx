import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, renderApp } from '../test-utils';
import { BlockedPage } from './BlockedPage';
import { FollowListPage } from './FollowListPage';
import { RequestsPage } from './RequestsPage';

const person = (id: string) => ({ id, username: id, displayName: id.toUpperCase(), avatarUrl: null });

describe('RequestsPage', () => {
  it('approves one request and denies another, each by its own call, and the list refreshes', async () => {
    const sent: string[] = [];
    let pending = [person('bob'), person('cat')];
    renderApp(<RequestsPage />, {
      handler: (request) => {
        const { pathname } = new URL(request.url);
        if (pathname === '/v1/me/follow-requests') {
          return json({ items: pending, nextCursor: null });
        }
        sent.push(`${request.method} ${pathname}`);
        pending = pending.filter((user) => !pathname.endsWith(`/${user.id}`));
        return request.method === 'PUT'
          ? json({ follower: true, followerCount: 1 })
          : new Response(null, { status: 204 });
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Approve bob' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Approve bob' })).toBeNull());
    await userEvent.click(screen.getByRole('button', { name: 'Deny cat' }));
    expect(await screen.findByText('No one is waiting.')).toBeInTheDocument();
    expect(sent).toEqual(['PUT /v1/me/follow-requests/bob', 'DELETE /v1/me/follow-requests/cat']);
  });
});

describe('BlockedPage', () => {
  it('lists blocked and muted people apart, and unblocks one', async () => {
    const sent: string[] = [];
    let blocked = [person('eve')];
    renderApp(<BlockedPage />, {
      handler: (request) => {
        const { pathname } = new URL(request.url);
        if (pathname === '/v1/me/blocks') {
          return json({ items: blocked, nextCursor: null });
        }
        if (pathname === '/v1/me/mutes') {
          return json({ items: [person('max')], nextCursor: null });
        }
        sent.push(`${request.method} ${pathname}`);
        blocked = [];
        return json({ blocked: false });
      },
    });
    expect(await screen.findByRole('button', { name: 'Unmute max' })).toBeInTheDocument();
    await userEvent.click(await screen.findByRole('button', { name: 'Unblock eve' }));
    expect(await screen.findByText('You have not blocked anyone.')).toBeInTheDocument();
    expect(sent).toEqual(['DELETE /v1/users/eve/block']);
  });
});

describe('FollowListPage', () => {
  it('offers Remove beside each of my own followers, and removes one', async () => {
    const sent: string[] = [];
    let followers = [person('bob'), person('cat')];
    const me = { ...person('me'), email: null, admin: false, suspended: false };
    renderApp(<FollowListPage relation="followers" />, {
      path: '/u/me/followers',
      route: '/u/:username/followers',
      handler: (request) => {
        const { pathname } = new URL(request.url);
        if (pathname === '/v1/me' || pathname === '/v1/users/by-username/me') {
          return json(me);
        }
        if (pathname === '/v1/users/me/followers') {
          return json({ items: followers, nextCursor: null });
        }
        sent.push(`${request.method} ${pathname}`);
        followers = followers.filter((user) => !pathname.endsWith(`/${user.id}`));
        return json({ follower: false, followerCount: 1 });
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Remove bob from your followers' }));
    await waitFor(() => expect(screen.queryByText('bob')).toBeNull());
    expect(screen.getByRole('button', { name: 'Remove cat from your followers' })).toBeInTheDocument();
    expect(sent).toEqual(['DELETE /v1/me/followers/bob']);
  });
});
