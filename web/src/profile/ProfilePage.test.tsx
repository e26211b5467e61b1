import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { User } from '../api/client';
import { deferred, json, problem, renderApp } from '../test-utils';
import { ProfilePage } from './ProfilePage';

const alice: User = {
  id: 'u1',
  username: 'alice',
  displayName: 'Alice',
  avatarUrl: null,
  avatarVariants: [],
  bio: '',
  private: false,
  followerCount: 9,
  followingCount: 2,
  postCount: 0,
  followedByMe: false,
  requestedByMe: false,
  followsMe: false,
  blockedByMe: false,
  mutedByMe: false,
  createdAt: '2026-01-01T00:00:00Z',
};

function route(follow: (request: Request) => Promise<Response> | Response, user: User = alice) {
  return (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path === '/v1/users/by-username/alice') {
      return json(user);
    }
    if (path === '/v1/me') {
      return json({ ...alice, id: 'me', username: 'me', email: 'me@example.com' });
    }
    if (path === '/v1/users/u1/posts') {
      return json({ items: [], nextCursor: null });
    }
    return follow(request);
  };
}

describe('ProfilePage', () => {
  it('follows someone: the button and count change at once, then take the server’s count', async () => {
    const answer = deferred<Response>();
    renderApp(<ProfilePage />, { handler: route(() => answer.promise), path: '/u/alice', route: '/u/:username' });
    await userEvent.click(await screen.findByRole('button', { name: 'Follow' }));
    expect(screen.getByRole('button', { name: 'Following' })).toBeInTheDocument();
    expect(screen.getByTestId('follower-count')).toHaveTextContent('10 followers');
    answer.resolve(json({ following: true, requested: false, followerCount: 12 }));
    await waitFor(() => expect(screen.getByTestId('follower-count')).toHaveTextContent('12 followers'));
    expect(screen.getByText('No posts yet.')).toBeInTheDocument();
  });

  it('goes back to “Follow” when the follow fails', async () => {
    renderApp(<ProfilePage />, {
      handler: route(() => problem(429, 'rate_limited', 'too many writes: try again in 20 s')),
      path: '/u/alice',
      route: '/u/:username',
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Follow' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Not saved: too many writes: try again in 20 s');
    expect(screen.getByRole('button', { name: 'Follow' })).toBeInTheDocument();
    expect(screen.getByTestId('follower-count')).toHaveTextContent('9 followers');
  });

  it('offers my own profile an edit link, never a Follow button, even before it knows whose it is', async () => {
    const me = deferred<Response>();
    renderApp(<ProfilePage />, {
      handler: (request) => {
        const path = new URL(request.url).pathname;
        return path === '/v1/me' ? me.promise : route(() => json({}))(request);
      },
      path: '/u/alice',
      route: '/u/:username',
    });
    await screen.findByRole('heading', { name: 'alice' });
    expect(screen.queryByRole('button', { name: 'Follow' })).toBeNull();
    me.resolve(json({ ...alice, email: 'alice@example.com' }));
    expect(await screen.findByRole('link', { name: 'Edit profile' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Follow' })).toBeNull();
  });

  it('asks to follow a private account: “Requested”, the count unchanged, its posts kept hidden', async () => {
    const sent: string[] = [];
    renderApp(<ProfilePage />, {
      handler: route(
        (request) => {
          sent.push(`${request.method} ${new URL(request.url).pathname}`);
          return json({ following: false, requested: true, followerCount: 9 });
        },
        { ...alice, private: true },
      ),
      path: '/u/alice',
      route: '/u/:username',
    });
    expect(await screen.findByText(/This account is private/)).toBeInTheDocument();
    await userEvent.click(await screen.findByRole('button', { name: 'Follow' }));
    expect(screen.getByRole('button', { name: 'Requested' })).toBeInTheDocument();
    expect(screen.getByTestId('follower-count')).toHaveTextContent('9 followers');
    await waitFor(() => expect(sent).toEqual(['PUT /v1/users/u1/follow']));
    expect(await screen.findByText(/Your request to follow is waiting/)).toBeInTheDocument();
  });

  it('blocks from the profile menu: the follow button and the posts give way to an Unblock', async () => {
    const sent: string[] = [];
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    // The server's profile after the block: what the refresh that follows it reads.
    let current: User = { ...alice, followedByMe: true, followsMe: true };
    try {
      renderApp(<ProfilePage />, {
        handler: (request) =>
          route(() => {
            sent.push(`${request.method} ${new URL(request.url).pathname}`);
            current = { ...alice, blockedByMe: true };
            return json({ blocked: true });
          }, current)(request),
        path: '/u/alice',
        route: '/u/:username',
      });
      expect(await screen.findByText('Follows you')).toBeInTheDocument();
      await userEvent.click(screen.getByText('•••'));
      await userEvent.click(screen.getByRole('button', { name: 'Block' }));
      expect(await screen.findByText(/You blocked alice/)).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Following' })).toBeNull();
      expect(screen.getByRole('button', { name: 'Unblock' })).toBeInTheDocument();
      expect(sent).toEqual(['PUT /v1/users/u1/block']);
    } finally {
      confirm.mockRestore();
    }
  });

  it('says a username does not exist', async () => {
    renderApp(<ProfilePage />, {
      handler: () => problem(404, 'user_not_found', 'no user named nobody'),
      path: '/u/nobody',
      route: '/u/:username',
    });
    expect(await screen.findByRole('heading', { name: 'Not found' })).toBeInTheDocument();
  });
});
