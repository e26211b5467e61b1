/**
 * Timeline: 20 virtual users read the first timeline page of users[0] (the user who follows 500 accounts) for 30 s.
 *
 *   PICFEED_TOKENS="$PWD/tokens.json" k6 run load-tests/k6/timeline.ts
 *
 * Environment: LIMIT (page size, default 10), P50_MS and P99_MS (latency thresholds, default 15 and 100).
 * PICFEED_TOKENS should be an absolute path: k6 resolves a relative open() path against this script's folder.
 */
import http from 'k6/http';
import type { Response } from 'k6/http';
import { check } from 'k6';
import type { JSONValue } from 'k6';
import { SharedArray } from 'k6/data';
import type { Options } from 'k6/options';

interface TokenUser {
  id: string;
  token: string;
}

interface Reader {
  baseUrl: string;
  user: TokenUser;
}

/** Reads the tokens file and keeps only what this test needs: the base URL and users[0]. */
function readReader(): Reader {
  const path = __ENV.PICFEED_TOKENS;
  if (!path) {
    throw new Error('PICFEED_TOKENS is not set: point it at the tokens file (absolute path)');
  }
  const file = JSON.parse(open(path)) as { baseUrl?: unknown; users?: Partial<TokenUser>[] };
  if (typeof file.baseUrl !== 'string' || !/^https?:\/\//.test(file.baseUrl)) {
    throw new Error(`${path}: baseUrl must be an http(s) URL`);
  }
  const user = Array.isArray(file.users) ? file.users[0] : undefined;
  if (!user || typeof user.id !== 'string' || typeof user.token !== 'string' || user.token === '') {
    throw new Error(`${path}: users[0] needs a string id and a non-empty token`);
  }
  return { baseUrl: file.baseUrl.replace(/\/+$/, ''), user: { id: user.id, token: user.token } };
}

const reader = new SharedArray<Reader>('picfeed timeline reader', () => [readReader()])[0];

const limit = __ENV.LIMIT || 10;
const timelineUrl = `${reader.baseUrl}/v1/timeline?limit=${encodeURIComponent(limit)}`;
const params = {
  headers: { Authorization: `Bearer ${reader.user.token}` },
  tags: { name: 'GET /v1/timeline' },
};

export const options: Options = {
  vus: 20,
  duration: '30s',
  thresholds: {
    http_req_failed: ['rate==0'],
    checks: ['rate==1'],
    'http_req_duration{name:GET /v1/timeline}': [`p(50)<${__ENV.P50_MS || 15}`, `p(99)<${__ENV.P99_MS || 100}`],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

function hasItemsArray(res: Response): boolean {
  try {
    const body: JSONValue = res.json();
    return body !== null && typeof body === 'object' && !Array.isArray(body) && Array.isArray(body.items);
  } catch {
    return false;
  }
}

export default function (): void {
  const res = http.get(timelineUrl, params);
  check(res, {
    'timeline status is 200': (r) => r.status === 200,
    'timeline items is an array': hasItemsArray,
  });
}
