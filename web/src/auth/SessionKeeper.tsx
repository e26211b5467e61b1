import { useEffect } from 'react';
import { unwrap } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { googleSignIn } from './google';
import { expiryOf, subjectOf, type Session } from './session';
import { useSession, useSessionStore } from './SessionProvider';
import { useSignInOptions } from './useSignInOptions';

const RETRY_MS = 30_000;

/**
 * Renews the token before it expires: the dev issuer mints another; Google's One Tap hands a fresh one for the same
 * account. A failed renewal is tried again every 30 s while the token lasts; a tab back from sleep renews at once.
 */
export function SessionKeeper() {
  const api = useApi();
  const store = useSessionStore();
  const session = useSession();
  const googleClientId = useSignInOptions().data?.googleClientId ?? null;

  useEffect(() => {
    const delay = store.renewIn();
    if (session === undefined || delay === undefined) {
      return;
    }
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (ms: number): void => {
      clearTimeout(timer);
      if (!cancelled) {
        timer = setTimeout(() => void renew(), ms);
      }
    };
    // Only while this session is still the one signed in: a sign-out or another sign-in meanwhile wins.
    const replace = (next: Session): void => {
      if (!cancelled && store.current() === session) {
        store.signIn(next);
      }
    };
    const renew = async (): Promise<void> => {
      try {
        if (session.method === 'dev' && session.email !== undefined) {
          const token = await unwrap(
            api.POST('/v1/auth/dev-token', { body: { email: session.email, name: session.name } }),
          );
          replace({ ...session, idToken: token.idToken, expiresAt: token.expiresAt });
          return;
        }
        if (session.method === 'google' && googleClientId !== null) {
          const google = await googleSignIn(googleClientId, (idToken) => {
            if (subjectOf(idToken) === subjectOf(session.idToken)) {
              replace({ method: 'google', idToken, expiresAt: expiryOf(idToken) });
            }
          });
          if (!cancelled) {
            google.prompt();
          }
        }
      } catch {
        // Tried again below while the token still works.
      }
      if (cancelled) {
        return;
      }
      if (store.expired()) {
        store.signOut('Your session expired. Sign in again.');
      } else {
        schedule(RETRY_MS);
      }
    };
    schedule(delay);
    const wake = (): void => {
      if (document.visibilityState === 'visible' && store.renewalDue()) {
        schedule(0);
      }
    };
    document.addEventListener('visibilitychange', wake);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', wake);
    };
  }, [api, store, session, googleClientId]);

  return null;
}
