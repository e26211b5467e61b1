import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { deferred, json, problem, renderApp } from '../test-utils';
import { SessionKeeper } from './SessionKeeper';
import { SignIn } from './SignIn';

const options = (devSignIn: boolean, googleClientId: string | null = null) => json({ devSignIn, googleClientId });

describe('SignIn', () => {
  beforeEach(() => window.localStorage.clear());

  it('signs in with the dev issuer’s form and keeps the session', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const view = renderApp(<SignIn />, {
      handler: (request) =>
        new URL(request.url).pathname === '/v1/auth/options' ? options(true) : json({ idToken: 'minted', expiresAt }),
    });
    await userEvent.type(await screen.findByLabelText('Email'), ' dana@example.com ');
    await userEvent.type(screen.getByLabelText(/Name/), 'Dana');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() =>
      expect(view.session.current()).toEqual({
        method: 'dev',
        idToken: 'minted',
        expiresAt,
        email: 'dana@example.com',
        name: 'Dana',
      }),
    );
    const mint = view.requests.find((request) => request.method === 'POST');
    expect(await mint?.json()).toEqual({ email: 'dana@example.com', name: 'Dana' });
  });

  it('says what the dev issuer refused', async () => {
    renderApp(<SignIn />, {
      handler: (request) =>
        new URL(request.url).pathname === '/v1/auth/options'
          ? options(true)
          : problem(400, 'validation_failed', 'email must be an email'),
    });
    await userEvent.type(await screen.findByLabelText('Email'), 'x@y.z');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('email must be an email');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('offers no form when the dev issuer is off', async () => {
    const view = renderApp(<SignIn />, { handler: () => options(false, 'client-1.apps.googleusercontent.com') });
    await screen.findByRole('region', { name: 'Sign in with Google' });
    expect(screen.queryByLabelText('Email')).toBeNull();
    expect(document.head.querySelector('script[src="https://accounts.google.com/gsi/client"]')).not.toBeNull();
    expect(view.session.current()).toBeUndefined();
  });
});

describe('SessionKeeper', () => {
  beforeEach(() => window.localStorage.clear());

  it('mints the next dev token five minutes before this one expires', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const next = new Date(Date.now() + 2 * 3_600_000).toISOString();
      const view = renderApp(<SessionKeeper />, {
        handler: (request) =>
          new URL(request.url).pathname === '/v1/auth/options'
            ? options(true)
            : json({ idToken: 'second', expiresAt: next }),
      });
      act(() =>
        view.session.signIn({
          method: 'dev',
          idToken: 'first',
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          email: 'e@example.com',
        }),
      );
      await act(() => vi.advanceTimersByTimeAsync(54 * 60_000));
      expect(view.session.current()?.idToken).toBe('first');
      await act(() => vi.advanceTimersByTimeAsync(2 * 60_000));
      await waitFor(() =>
        expect(view.session.current()).toMatchObject({ idToken: 'second', expiresAt: next, email: 'e@example.com' }),
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('stays signed out when the person signs out while a renewal is on its way', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const minted = deferred<Response>();
      const view = renderApp(<SessionKeeper />, {
        handler: (request) => (new URL(request.url).pathname === '/v1/auth/options' ? options(true) : minted.promise),
      });
      act(() =>
        view.session.signIn({
          method: 'dev',
          idToken: 'first',
          expiresAt: new Date(Date.now() + 60_000).toISOString(),
          email: 'e@example.com',
        }),
      );
      await act(() => vi.advanceTimersByTimeAsync(50_000));
      await waitFor(() => expect(view.requests.some((request) => request.method === 'POST')).toBe(true));
      act(() => view.session.signOut());
      minted.resolve(json({ idToken: 'second', expiresAt: new Date(Date.now() + 3_600_000).toISOString() }));
      await act(() => vi.advanceTimersByTimeAsync(120_000));
      expect(view.session.current()).toBeUndefined();
      expect(view.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
