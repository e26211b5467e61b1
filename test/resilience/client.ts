import { tinyJpeg } from '../support/images.js';
import { pool } from '../support/pool.js';

/** What one request came to: an HTTP answer, or how the connection failed before one arrived. */
export interface Outcome {
  readonly status?: number;
  /** The failure's code: ECONNREFUSED (never reached the server), UND_ERR_SOCKET, ECONNRESET, TIMEOUT... */
  readonly failure?: string;
  readonly retryAfter?: string;
  readonly ms: number;
  readonly body?: unknown;
}

export interface User {
  readonly id: string;
  readonly token: string;
}

/** One request with a hard client-side timeout, so a hanging server shows up as TIMEOUT instead of a stuck test. */
export async function send(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  timeoutMs = 30_000,
): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after') ?? undefined,
      ms: performance.now() - started,
      body: text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : undefined,
    };
  } catch (error) {
    return { failure: failureCode(error), ms: performance.now() - started };
  }
}

function failureCode(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return 'TIMEOUT';
  }
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? String(error);
}

/** A JSON call that must succeed. */
export async function call<T>(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<T> {
  const outcome = await send(baseUrl, method, path, token, body);
  if (outcome.status === undefined || outcome.status >= 300) {
    throw new Error(`${method} ${path}: ${outcome.status ?? outcome.failure} ${JSON.stringify(outcome.body)}`);
  }
  return outcome.body as T;
}

/** Dev-issuer users that exist. */
export function seedUsers(baseUrl: string, prefix: string, count: number): Promise<User[]> {
  return pool(
    Array.from({ length: count }, (_, i) => `${prefix}${i}@example.com`),
    16,
    async (email) => {
      const { idToken } = await call<{ idToken: string }>(baseUrl, 'POST', '/v1/auth/dev-token', undefined, { email });
      const me = await call<{ id: string }>(baseUrl, 'GET', '/v1/me', idToken);
      return { id: me.id, token: idToken };
    },
  );
}

/** Publishes a post through the signed-upload flow; returns its id. */
export async function publish(baseUrl: string, user: User): Promise<string> {
  const jpeg = tinyJpeg();
  const upload = await call<{ uploadId: string; uploadUrl: string; headers: Record<string, string> }>(
    baseUrl,
    'POST',
    '/v1/uploads',
    user.token,
    { contentType: 'image/jpeg', contentLength: jpeg.length },
  );
  const url = new URL(upload.uploadUrl);
  const put = await fetch(`${baseUrl}${url.pathname}${url.search}`, {
    method: 'PUT',
    headers: upload.headers,
    body: new Uint8Array(jpeg),
  });
  if (!put.ok) {
    throw new Error(`PUT upload: ${put.status}`);
  }
  return (await call<{ id: string }>(baseUrl, 'POST', '/v1/posts', user.token, { uploadId: upload.uploadId })).id;
}

/** Every id on every page of a list endpoint (followers, following, likers). */
export async function walk(baseUrl: string, path: string, token: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const query = `limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await call<{ items: { id: string }[]; nextCursor?: string }>(
      baseUrl,
      'GET',
      `${path}?${query}`,
      token,
    );
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

/** Counts of statuses and failures, e.g. `{ "200": 812, "503": 40, "ECONNREFUSED": 12 }`. */
export function tally(outcomes: readonly Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = outcome.status === undefined ? (outcome.failure ?? 'unknown') : String(outcome.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * What a well-behaved client (or load balancer) does after a 503: stays away for the Retry-After seconds it names.
 * This wait is the protocol under test, not a sleep standing in for a condition.
 */
export function honourRetryAfter(outcome: Outcome): Promise<void> {
  const seconds = Number(outcome.retryAfter ?? 1);
  return new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
}

/** Writes one line of figures to the test output. */
export function report(line: string): void {
  process.stdout.write(`${line}\n`);
}
