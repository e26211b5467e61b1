import { useEffect } from 'react';
import { unwrap } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { googleSignIn } from './google';
import { expiryOf } from './session';
import { useSession, useSessionStore } from './SessionProvider';
import { useSignInOptions } from './useSignInOptions';

const RETRY_MS = 30_000;

/** Renews the token before it expires: the dev issuer mints another, Google's One Tap hands a fresh one. */
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
    let timer: ReturnType<typeof setTimeout>;
    const renew = async (): Promise<void> => {
      try {
        if (session.method === 'dev' && session.email !== undefined) {
          const token = await unwrap(
            api.POST('/v1/auth/dev-token', { body: { email: session.email, name: session.name } }),
          );
          store.signIn({ ...session, idToken: token.idToken, expiresAt: token.expiresAt });
          return;
        }
        if (session.method === 'google' && googleClientId !== null) {
          const google = await googleSignIn(googleClientId, (idToken) =>
            store.signIn({ method: 'google', idToken, expiresAt: expiryOf(idToken) }),
          );
          google.prompt();
        }
      } catch {
        // Tried again below while the token still works.
      }
      timer = setTimeout(() => {
        if (store.expired()) {
          store.signOut('Your session expired. Sign in again.');
        } else {
          void renew();
        }
      }, RETRY_MS);
    };
    timer = setTimeout(() => void renew(), delay);
    return () => clearTimeout(timer);
  }, [api, store, session, googleClientId]);

  return null;
}
