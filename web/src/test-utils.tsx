import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { vi } from 'vitest';
import { createApi, type Post } from './api/client';
import { ApiProvider } from './api/ApiProvider';
import { SessionStore } from './auth/session';
import { SessionProvider } from './auth/SessionProvider';

export type Handler = (request: Request) => Promise<Response> | Response;

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function problem(status: number, code: string, detail: string): Response {
  return json({ type: 'about:blank', title: 'Error', status, code, detail, requestId: 'r1' }, status);
}

/** Renders with the app's providers around it; the API answers through `handler` (every request is recorded). */
export function renderApp(
  ui: ReactNode,
  { handler, path = '/', route = '*', others }: { handler: Handler; path?: string; route?: string; others?: ReactNode },
) {
  const requests: Request[] = [];
  const fetcher = vi.fn(async (input: Request) => {
    requests.push(input.clone());
    return handler(input);
  });
  const session = new SessionStore(window.localStorage);
  const signOut = vi.fn();
  const api = createApi({ token: () => 'token', rejected: signOut }, 'http://localhost', fetcher as typeof fetch);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const view = render(
    <SessionProvider store={session}>
      <ApiProvider api={api}>
        <QueryClientProvider client={client}>
          <MemoryRouter initialEntries={[path]}>
            <Routes>
              <Route path={route} element={ui} />
              {others}
            </Routes>
          </MemoryRouter>
        </QueryClientProvider>
      </ApiProvider>
    </SessionProvider>,
  );
  return { ...view, requests, client, session, signOut };
}

export function aPost(overrides: Partial<Post> = {}): Post {
  return {
    id: 'p1',
    author: { id: 'u1', username: 'alice', displayName: 'Alice', avatarUrl: null },
    media: [
      {
        width: 1200,
        height: 800,
        url: 'http://localhost/m/a-w1080',
        blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj',
        altText: 'A lake',
        variants: [
          { width: 320, height: 213, url: 'http://localhost/m/a-w320' },
          { width: 1080, height: 720, url: 'http://localhost/m/a-w1080' },
        ],
      },
    ],
    imageUrl: 'http://localhost/m/a-w1080',
    caption: 'Hello',
    tags: [],
    mentions: [],
    createdAt: new Date().toISOString(),
    editedAt: null,
    likeCount: 41,
    likedByMe: false,
    commentCount: 0,
    commentsEnabled: true,
    ...overrides,
  };
}

/** A promise to answer later: holds a request in flight while a test looks at the screen. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}
