/**
 * Hot post: 200 virtual users like and unlike the same post for 30 s.
 *
 * Each VU signs in as its own user from the tokens file (VU n uses users[(n - 1) % users.length]) and alternates
 * PUT and DELETE /v1/posts/{postId}/like, so the post's like count is contended by many distinct likers at once.
 * Any non-2xx answer fails the run (threshold http_req_failed rate==0); teardown logs the final likeCount.
 *
 *   PICFEED_TOKENS="$PWD/tokens.json" k6 run load-tests/k6/hot-post.ts
 *
 * PICFEED_TOKENS should be an absolute path: k6 resolves a relative open() path against this script's folder.
 */
import http from 'k6/http';
import type { Response } from 'k6/http';
import { check } from 'k6';
import type { JSONValue } from 'k6';
import { Counter } from 'k6/metrics';
import { SharedArray } from 'k6/data';
import type { Options } from 'k6/options';

// k6 provides console, but @types/k6 does not declare it and the k6 programs use no DOM or Node types.
declare const console: { log(...data: unknown[]): void; warn(...data: unknown[]): void };

interface TokenUser {
  id: string;
  token: string;
}

interface TokensFile {
  baseUrl: string;
  postId: string;
  users: TokenUser[];
}

interface Target {
  baseUrl: string;
  postId: string;
}

interface SetupData {
  likeCountBefore: number | null;
}

/** Reads and checks the tokens file; SharedArray runs this once per test, not once per VU. */
function readTokensFile(): TokensFile {
  const path = __ENV.PICFEED_TOKENS;
  if (!path) {
    throw new Error('PICFEED_TOKENS is not set: point it at the tokens file (absolute path)');
  }
  const file = JSON.parse(open(path)) as Partial<TokensFile>;
  if (typeof file.baseUrl !== 'string' || !/^https?:\/\//.test(file.baseUrl)) {
    throw new Error(`${path}: baseUrl must be an http(s) URL`);
  }
  if (typeof file.postId !== 'string' || file.postId === '') {
    throw new Error(`${path}: postId must be a non-empty string`);
  }
  if (!Array.isArray(file.users) || file.users.length === 0) {
    throw new Error(`${path}: users must be a non-empty array`);
  }
  for (const [i, user] of file.users.entries()) {
    if (!user || typeof user.id !== 'string' || typeof user.token !== 'string' || user.token === '') {
      throw new Error(`${path}: users[${i}] needs a string id and a non-empty token`);
    }
  }
  return { baseUrl: file.baseUrl.replace(/\/+$/, ''), postId: file.postId, users: file.users };
}

const users = new SharedArray<TokenUser>('picfeed users', () => readTokensFile().users);
const target = new SharedArray<Target>('picfeed target', () => {
  const { baseUrl, postId } = readTokensFile();
  return [{ baseUrl, postId }];
})[0];

const likeUrl = `${target.baseUrl}/v1/posts/${encodeURIComponent(target.postId)}/like`;
const postUrl = `${target.baseUrl}/v1/posts/${encodeURIComponent(target.postId)}`;

/** Answers with a 2xx status, PUT and DELETE together. */
const like2xx = new Counter('like_2xx');

export const options: Options = {
  vus: 200,
  duration: '30s',
  thresholds: {
    http_req_failed: ['rate==0'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

function authHeaders(user: TokenUser): { Authorization: string } {
  return { Authorization: `Bearer ${user.token}` };
}

function isJsonObject(value: JSONValue): value is { [key: string]: JSONValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The post's likeCount, or null when the GET failed or the body has none. */
function readLikeCount(res: Response): number | null {
  if (res.status !== 200) {
    return null;
  }
  try {
    const body = res.json();
    return isJsonObject(body) && typeof body.likeCount === 'number' ? body.likeCount : null;
  } catch {
    return null;
  }
}

function getPost(): Response {
  return http.get(postUrl, { headers: authHeaders(users[0]), tags: { name: 'GET /v1/posts/{id}' } });
}

export function setup(): SetupData {
  const vus = options.vus ?? 1;
  if (users.length < vus) {
    console.warn(`only ${users.length} users for ${vus} VUs: some users toggle the like from several VUs at once`);
  }
  return { likeCountBefore: readLikeCount(getPost()) };
}

export default function (): void {
  const user = users[(__VU - 1) % users.length];
  const params = { headers: authHeaders(user) };
  const res =
    __ITER % 2 === 0
      ? http.put(likeUrl, null, { ...params, tags: { name: 'PUT /v1/posts/{id}/like' } })
      : http.del(likeUrl, null, { ...params, tags: { name: 'DELETE /v1/posts/{id}/like' } });
  const ok = check(res, { 'like/unlike status is 2xx': (r) => r.status >= 200 && r.status < 300 });
  if (ok) {
    like2xx.add(1);
  }
}

export function teardown(data: SetupData): void {
  const res = getPost();
  const likeCount = readLikeCount(res);
  if (likeCount === null) {
    console.warn(`GET ${postUrl} answered ${res.status}; no likeCount to report`);
    return;
  }
  console.log(
    `post ${target.postId}: likeCount ${likeCount} (was ${data.likeCountBefore ?? 'unknown'} before the run)`,
  );
}
