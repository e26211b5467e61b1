import { beforeEach, describe, expect, it } from 'vitest';
import { expiryOf, RENEW_BEFORE_MS, SessionStore } from './session';

const NOW = Date.parse('2026-12-02T10:00:00Z');
const inMinutes = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

describe('SessionStore', () => {
  beforeEach(() => window.localStorage.clear());

  it('keeps a session across a reload', () => {
    new SessionStore(window.localStorage, () => NOW).signIn({
      method: 'dev',
      idToken: 't',
      expiresAt: inMinutes(60),
      email: 'a@b.c',
    });
    expect(new SessionStore(window.localStorage, () => NOW).current()).toMatchObject({ idToken: 't', email: 'a@b.c' });
  });

  it('renews five minutes before the token expires, or at three quarters of a short one', () => {
    const store = new SessionStore(window.localStorage, () => NOW);
    store.signIn({ method: 'dev', idToken: 't', expiresAt: inMinutes(60) });
    expect(store.renewIn()).toBe(60 * 60_000 - RENEW_BEFORE_MS);
    store.signIn({ method: 'dev', idToken: 't', expiresAt: inMinutes(8) });
    expect(store.renewIn()).toBe(6 * 60_000);
    store.signIn({ method: 'dev', idToken: 't', expiresAt: new Date(NOW + 1000).toISOString() });
    expect(store.renewIn()).toBe(5_000);
  });

  it('drops an expired or damaged session at load and says why', () => {
    window.localStorage.setItem(
      'picfeed.session',
      JSON.stringify({ method: 'dev', idToken: 't', expiresAt: inMinutes(-1) }),
    );
    const expired = new SessionStore(window.localStorage, () => NOW);
    expect(expired.current()).toBeUndefined();
    expect(expired.endedBecause).toMatch(/expired/);
    expect(window.localStorage.getItem('picfeed.session')).toBeNull();
    window.localStorage.setItem('picfeed.session', '{"method":"dev","idToken":');
    expect(new SessionStore(window.localStorage, () => NOW).current()).toBeUndefined();
    window.localStorage.setItem(
      'picfeed.session',
      JSON.stringify({ method: 'other', idToken: 't', expiresAt: inMinutes(9) }),
    );
    expect(new SessionStore(window.localStorage, () => NOW).current()).toBeUndefined();
  });

  it('tells its subscribers when the session changes', () => {
    const store = new SessionStore(window.localStorage, () => NOW);
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    store.signIn({ method: 'google', idToken: 't', expiresAt: inMinutes(60) });
    store.signOut('Your session ended. Sign in again.');
    unsubscribe();
    store.signOut();
    expect(calls).toBe(2);
  });
});

describe('expiryOf', () => {
  it('reads a Google ID token’s exp', () => {
    const payload = btoa(JSON.stringify({ exp: NOW / 1000 + 3600, sub: '1' })).replace(/=+$/, '');
    expect(expiryOf(`h.${payload}.s`)).toBe(inMinutes(60));
    expect(() => expiryOf(`h.${btoa('{}')}.s`)).toThrow(/no expiry/);
  });
});

describe('SessionStore.adopt', () => {
  const token = (sub: string) => `h.${btoa(JSON.stringify({ sub, exp: NOW / 1000 + 3600 })).replace(/=+$/, '')}.s`;
  beforeEach(() => window.localStorage.clear());

  it('takes the same user’s renewed token from another tab without a reload', () => {
    const store = new SessionStore(window.localStorage, () => NOW);
    store.signIn({ method: 'dev', idToken: token('u1'), expiresAt: inMinutes(10), email: 'a@b.c' });
    const renewed = { method: 'dev', idToken: `${token('u1')}x`, expiresAt: inMinutes(60), email: 'a@b.c' };
    expect(store.adopt(JSON.stringify(renewed))).toBe(false);
    expect(store.current()).toEqual(renewed);
  });

  it('asks for a reload when another tab signed out or signed in as someone else', () => {
    const store = new SessionStore(window.localStorage, () => NOW);
    store.signIn({ method: 'dev', idToken: token('u1'), expiresAt: inMinutes(10) });
    expect(store.adopt(null)).toBe(true);
    expect(store.adopt(JSON.stringify({ method: 'dev', idToken: token('u2'), expiresAt: inMinutes(60) }))).toBe(true);
    expect(store.adopt('{broken')).toBe(true);
    expect(store.current()?.idToken).toBe(token('u1'));
  });
});
