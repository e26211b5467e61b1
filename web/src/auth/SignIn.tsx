import { useEffect, useRef, useState, type FormEvent } from 'react';
import { describeError, unwrap } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { ErrorNotice } from '../ui/ErrorNotice';
import { googleSignIn } from './google';
import { expiryOf } from './session';
import { useSessionStore } from './SessionProvider';
import { useSignInOptions } from './useSignInOptions';

export function SignIn() {
  const options = useSignInOptions();
  const store = useSessionStore();
  return (
    <main className="sign-in" id="main">
      <h1 className="brand">picfeed</h1>
      <p className="muted">Share photos with the people who follow you.</p>
      {store.endedBecause ? <p role="status">{store.endedBecause}</p> : null}
      {options.isPending ? <p aria-busy="true">Loading…</p> : null}
      {options.isError ? <ErrorNotice error={options.error} onRetry={() => void options.refetch()} /> : null}
      {options.data?.googleClientId ? <GoogleButton clientId={options.data.googleClientId} /> : null}
      {options.data?.devSignIn ? <DevSignIn /> : null}
    </main>
  );
}

function GoogleButton({ clientId }: { clientId: string }) {
  const store = useSessionStore();
  const target = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    googleSignIn(clientId, (idToken) => store.signIn({ method: 'google', idToken, expiresAt: expiryOf(idToken) }))
      .then((google) => {
        if (target.current) {
          google.renderButton(target.current, { theme: 'outline', size: 'large', text: 'signin_with' });
        }
      })
      .catch((cause: unknown) => setError(describeError(cause)));
  }, [clientId, store]);
  return (
    <section aria-label="Sign in with Google">
      <div ref={target} />
      {error ? <p role="alert">{error}</p> : null}
    </section>
  );
}

function DevSignIn() {
  const api = useApi();
  const store = useSessionStore();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const displayName = name.trim() === '' ? undefined : name.trim();
      const token = await unwrap(api.POST('/v1/auth/dev-token', { body: { email: email.trim(), name: displayName } }));
      store.signIn({
        method: 'dev',
        idToken: token.idToken,
        expiresAt: token.expiresAt,
        email: email.trim(),
        name: displayName,
      });
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  };
  return (
    <form className="card stack" onSubmit={(event) => void submit(event)} aria-labelledby="dev-sign-in">
      <h2 id="dev-sign-in">Sign in (local dev issuer)</h2>
      <p className="muted small">Any email signs in as its own user; the same email is always the same user.</p>
      <label>
        Email
        <input type="email" required autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        Name <span className="muted">(optional)</span>
        <input maxLength={64} autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      {error ? <ErrorNotice error={error} /> : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
