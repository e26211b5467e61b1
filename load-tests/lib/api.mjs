// The API under test: a built picfeed process on a free port, and the HTTP helpers that seed it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tinyJpeg } from '../../test/support/images.ts';
import { pool } from '../../test/support/pool.ts';

export const ROOT = new URL('../..', import.meta.url).pathname;

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** The V8 flags `npm start` (and app.yaml) run the API with: small young generations keep RSS near the live heap. */
function startCommand(root = ROOT) {
  const words = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).scripts.start.split(/\s+/);
  const env = Object.fromEntries(
    words
      .filter((word) => /^[A-Z_]+=/.test(word))
      .map((word) => [word.split('=')[0], word.slice(word.indexOf('=') + 1)]),
  );
  return { flags: words.filter((word) => word.startsWith('--')), env };
}

/** A few hundred users stand in for thousands, so each writes far faster than a person and the default limit allows. */
export const BENCH_WRITE_RATE_LIMIT = '1000000';

/**
 * Starts `node dist/main.js` as `npm start` does, with the given settings, and waits for /readyz. `root` is the
 * checkout to run (another one's built dist/ for a side-by-side baseline).
 * @param {Record<string, string>} env
 * @param {string} [root]
 */
export async function startApi(env, root = ROOT) {
  const port = await freePort();
  const start = startCommand(root);
  const child = spawn(process.execPath, [...start.flags, 'dist/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      ...start.env,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      WRITE_RATE_LIMIT: BENCH_WRITE_RATE_LIMIT,
      READ_RATE_LIMIT: BENCH_WRITE_RATE_LIMIT,
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the API exited during start-up (code ${child.exitCode})`);
    }
    const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) {
      break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the API did not become ready within 30 s');
    }
    await sleep(100);
  }
  return {
    url,
    pid: /** @type {number} */ (child.pid),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One JSON call; throws on a non-2xx answer.
 * @param {string} url @param {string} method @param {string | undefined} token @param {unknown} [body]
 */
export async function call(url, method, token, body) {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 200)}`);
  }
  return text ? JSON.parse(text) : undefined;
}

/**
 * Dev-issuer users that exist (their GET /v1/me done).
 * @param {string} api @param {string} prefix @param {number} count
 * @returns {Promise<{ id: string, token: string }[]>}
 */
export function seedUsers(api, prefix, count) {
  return pool(
    Array.from({ length: count }, (_, i) => `${prefix}${i}@bench.example.com`),
    16,
    async (email) => {
      const { idToken } = await call(`${api}/v1/auth/dev-token`, 'POST', undefined, { email });
      const me = await call(`${api}/v1/me`, 'GET', idToken);
      return { id: me.id, token: idToken };
    },
  );
}

/** The tiny 8 x 8 JPEG of the tests: the API decodes every upload, most scenarios measure the rest of it. */
export const TINY_JPEG = tinyJpeg();

/**
 * An upload whose bytes have arrived, ready for POST /v1/posts.
 * @param {string} api @param {{ token: string }} user @param {Buffer} [image] a JPEG
 */
export async function preparedUpload(api, user, image = TINY_JPEG) {
  const upload = await call(`${api}/v1/uploads`, 'POST', user.token, {
    contentType: 'image/jpeg',
    contentLength: image.length,
  });
  const put = await fetch(upload.uploadUrl, { method: 'PUT', headers: upload.headers, body: image });
  if (!put.ok) {
    throw new Error(`PUT upload: ${put.status}`);
  }
  return /** @type {string} */ (upload.uploadId);
}

/** @param {string} api @param {{ token: string }} user @returns {Promise<string>} the post id */
export async function publish(api, user) {
  const uploadId = await preparedUpload(api, user);
  return (await call(`${api}/v1/posts`, 'POST', user.token, { uploadId })).id;
}

/**
 * The peak resident memory of a process while `work` runs, sampled every 100 ms.
 * @template T @param {number} pid @param {() => Promise<T>} work @returns {Promise<{ result: T, peakRssMb: number }>}
 */
export async function withPeakRss(pid, work) {
  // VmRSS sampled, not VmHWM: the high-water mark would include every earlier phase of the process.
  let peak = 0;
  const sample = () => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, kb / 1024);
    } catch {
      // the process is gone or this is not Linux: no figure
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  try {
    const result = await work();
    sample();
    return { result, peakRssMb: Math.round(peak) };
  } finally {
    clearInterval(timer);
  }
}
