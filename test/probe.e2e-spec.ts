import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import request from 'supertest';
import { signIn, type SignedIn } from './support/app.js';
import { tinyJpeg } from './support/images.js';
import { pool } from './support/pool.js';
import { publishPost, uploadImage } from './support/posts.js';
import { spawnServer, type ServerProcess, UNLIMITED_RATES } from './support/server-process.js';

const BODY_TIMEOUT_MS = 1_000;
/** No answer may take longer than this, whatever the case. */
const HANG_MS = 5_000;

/** A JPEG as far as the publish check reads (its first bytes), large enough that a download takes many chunks. */
const bigJpeg = (): Buffer => Buffer.concat([tinyJpeg(), Buffer.alloc(2 * 1024 * 1024, 7)]);

function openFiles(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Sends raw bytes on one connection and collects what comes back until the server closes it or `waitMs` passes. */
function raw(port: number, write: (socket: Socket) => void, waitMs: number): Promise<{ text: string; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, ms: performance.now() - started });
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
    write(socket);
  });
}

/** Starts a GET and cuts the connection once the first bytes of the body arrived (or after `afterMs`). */
function abortedDownload(url: string, afterMs = 20): Promise<void> {
  const { port, pathname, search } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('data', () => setTimeout(() => socket.destroy(), afterMs));
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
    socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  });
}

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('attacks on a server process: every case answered with a 4xx in time, the process alive after (e2e)', () => {
  let sut: ServerProcess;
  let port: number;
  let ann: SignedIn;
  let bob: SignedIn;
  const cases: { name: string; status: number; ms: number }[] = [];

  beforeAll(async () => {
    sut = await spawnServer({
      STORE: 'memory',
      ...UNLIMITED_RATES,
      HTTP_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
    });
    port = Number(new URL(sut.baseUrl).port);
    [ann, bob] = await Promise.all([
      signIn(sut.baseUrl, 'ann@example.com'),
      signIn(sut.baseUrl, '__proto__@example.com'),
    ]);
  }, 60_000);

  afterAll(async () => {
    sut?.child.kill('SIGTERM');
    await sut?.exited;
    const statuses = cases.reduce<Record<number, number>>(
      (counts, item) => ({ ...counts, [item.status]: (counts[item.status] ?? 0) + 1 }),
      {},
    );
    const slowest = Math.max(...cases.map((item) => item.ms));
    process.stdout.write(
      `probe: ${cases.length} cases, statuses ${JSON.stringify(statuses)}, slowest ${slowest.toFixed(0)} ms, ` +
        `process exits: ${sut.child.exitCode === 0 ? 'none (clean stop at the end)' : String(sut.child.exitCode)}\n`,
    );
  });

  async function expectAlive(): Promise<void> {
    expect(sut.child.exitCode).toBeNull();
    await request(sut.baseUrl).get('/healthz').expect(200);
  }

  /** Runs one case through supertest, records it, and checks it was a quick 4xx and the process lives on. */
  async function attack(
    name: string,
    send: () => request.Test,
    expected: number | number[],
  ): Promise<request.Response> {
    const started = performance.now();
    const res = await send();
    const ms = performance.now() - started;
    cases.push({ name, status: res.status, ms });
    const allowed = Array.isArray(expected) ? expected : [expected];
    expect({ name, status: allowed.includes(res.status) ? 'as expected' : res.status }).toEqual({
      name,
      status: 'as expected',
    });
    expect(ms).toBeLessThan(HANG_MS);
    await expectAlive();
    return res;
  }

  it('should answer an unknown user with a bad cursor once and stay up (it used to exit the process)', async () => {
    for (const list of ['followers', 'following', 'posts']) {
      for (const cursor of [
        'AAAA',
        b64({ store: 'AAAA', check: 'x' }),
        b64({ store: 'AAAA', check: 'x'.repeat(22) }),
      ]) {
        await attack(
          `/v1/users/nobody/${list}?cursor=${cursor}`,
          () => request(sut.baseUrl).get(`/v1/users/nobody/${list}?cursor=${cursor}`).set('Authorization', ann.auth),
          400,
        );
      }
    }
    await attack(
      'likers of an unknown post with a bad cursor',
      () =>
        request(sut.baseUrl)
          .get('/v1/posts/0f-0000000000001-0000000f/likers?cursor=AAAA')
          .set('Authorization', ann.auth),
      400,
    );
    // Give a rejection nobody awaited time to surface before the next check.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expectAlive();
  }, 30_000);

  it('should change only the fields a PATCH sends, and keep the username usable', async () => {
    const before = (await request(sut.baseUrl).get('/v1/me').set('Authorization', ann.auth).expect(200)).body as {
      username: string;
      displayName: string;
    };

    const patched = await attack(
      'PATCH /v1/me {bio}',
      () => request(sut.baseUrl).patch('/v1/me').set('Authorization', ann.auth).send({ bio: 'hello' }),
      200,
    );
    const renamed = await attack(
      'PATCH /v1/me {username}',
      () => request(sut.baseUrl).patch('/v1/me').set('Authorization', ann.auth).send({ username: 'ann_probe' }),
      200,
    );

    expect(patched.body).toMatchObject({ bio: 'hello', username: before.username, displayName: before.displayName });
    expect(renamed.body).toMatchObject({ bio: 'hello', username: 'ann_probe', displayName: before.displayName });
  }, 30_000);

  it('should refuse reserved names as ids and usernames, and give a reserved email a valid username', async () => {
    for (const path of ['/v1/users/__proto__', '/v1/users/__key__/followers', '/v1/users/by-username/__proto__']) {
      await attack(`GET ${path}`, () => request(sut.baseUrl).get(path).set('Authorization', ann.auth), 400);
    }
    await attack(
      'PATCH username __proto__',
      () => request(sut.baseUrl).patch('/v1/me').set('Authorization', ann.auth).send({ username: '__proto__' }),
      400,
    );
    await attack(
      'GET ?__proto__=1',
      () => request(sut.baseUrl).get('/v1/timeline?__proto__=1').set('Authorization', ann.auth),
      400,
    );
    await attack(
      'PATCH with a duplicate key',
      () =>
        request(sut.baseUrl)
          .patch('/v1/me')
          .set('Authorization', ann.auth)
          .set('Content-Type', 'application/json')
          .send('{"bio":"a","bio":"b"}'),
      400,
    );
    const me = await request(sut.baseUrl).get('/v1/me').set('Authorization', bob.auth).expect(200);
    expect(me.body.username).toBe('user__proto__');
  }, 30_000);

  it('should refuse every token that cannot be valid with a fast 401', async () => {
    const [header, payload, signature] = ann.auth.slice('Bearer '.length).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = (change: Record<string, unknown>, head: Record<string, unknown> = {}) =>
      `${b64({ ...(JSON.parse(Buffer.from(header, 'base64url').toString()) as object), ...head })}.${b64({ ...claims, ...change })}.${signature}`;
    const tokens: Record<string, string> = {
      'alg none': forged({}, { alg: 'none' }),
      'no kid': forged({}, { kid: undefined }),
      'unknown kid': forged({}, { kid: 'nope' }),
      'numeric sub': forged({ sub: 42 }),
      'object sub': forged({ sub: { a: 1 } }),
      'long sub': forged({ sub: 'x'.repeat(2_000) }),
      'reserved sub': forged({ sub: '__key__' }),
      'future nbf': forged({ nbf: Math.floor(Date.now() / 1000) + 3600 }),
      'string exp': forged({ exp: '99999999999' }),
      'other issuer': forged({ iss: 'https://evil.example' }),
      'edited claims': forged({ email: 'someone@else.com' }),
      garbage: 'a.b.c',
    };
    await pool(Object.entries(tokens), 12, ([name, token]) =>
      attack(`token ${name}`, () => request(sut.baseUrl).get('/v1/me').set('Authorization', `Bearer ${token}`), 401),
    );
  }, 30_000);

  it('should answer a body that trickles in with 408 and close, and survive bodies cut off half-way', async () => {
    const slow = await raw(
      port,
      (socket) => {
        socket.write(
          `PATCH /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: ${ann.auth}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
        );
        const drip = setInterval(() => (socket.writable ? socket.write(' ') : clearInterval(drip)), 200);
        socket.on('close', () => clearInterval(drip));
      },
      HANG_MS,
    );
    cases.push({ name: 'slow body', status: Number(slow.text.slice(9, 12)), ms: slow.ms });
    expect(slow.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(slow.ms).toBeLessThan(BODY_TIMEOUT_MS + 2_000);

    const refusedEarly = await raw(
      port,
      (socket) => {
        socket.write('PATCH /v1/me HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n');
        const drip = setInterval(() => (socket.writable ? socket.write(' ') : clearInterval(drip)), 200);
        socket.on('close', () => clearInterval(drip));
      },
      HANG_MS,
    );
    cases.push({
      name: 'refused body that trickles on',
      status: Number(refusedEarly.text.slice(9, 12)),
      ms: refusedEarly.ms,
    });
    // Answered 415 at once; the connection is closed at the body deadline instead of held while the body trickles.
    expect(refusedEarly.text).toMatch(/^HTTP\/1\.1 415 /);
    expect(refusedEarly.ms).toBeLessThan(BODY_TIMEOUT_MS + 2_000);

    await Promise.all(
      Array.from({ length: 20 }, () =>
        raw(
          port,
          (socket) => {
            socket.write(
              `PATCH /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: ${ann.auth}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"bio":"`,
            );
            setTimeout(() => socket.destroy(), 50);
          },
          1_000,
        ),
      ),
    );
    await expectAlive();
  }, 30_000);

  it('should answer an oversized body on a kept-alive connection with a 413 the client reads, then serve the next request', async () => {
    const body = JSON.stringify({ bio: 'x'.repeat(100_000) });
    const answer = await raw(
      port,
      (socket) => {
        socket.write(
          `PATCH /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: ${ann.auth}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        socket.write(body);
        socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      },
      HANG_MS,
    );
    cases.push({ name: 'oversized body', status: Number(answer.text.slice(9, 12)), ms: answer.ms });

    expect(answer.text).toMatch(/^HTTP\/1\.1 413 [\s\S]*request body is too large[\s\S]*HTTP\/1\.1 200 OK/);
  }, 30_000);

  it('should accept one PUT per upload URL and serve a post only the bytes that were checked', async () => {
    const upload = await uploadImage(sut.baseUrl, ann);
    const url = new URL(upload.uploadUrl);
    const put = (bytes: Buffer) =>
      request(sut.baseUrl).put(`${url.pathname}${url.search}`).set(upload.headers).send(bytes);
    await attack('second PUT before publish', () => put(tinyJpeg()), 412);
    const post = await request(sut.baseUrl)
      .post('/v1/posts')
      .set('Authorization', ann.auth)
      .send({ uploadId: upload.uploadId })
      .expect(201);

    await attack('PUT after publish', () => put(Buffer.from('<html>not an image</html>')), 412);
    const image = new URL((post.body as { imageUrl: string }).imageUrl);
    const served = await request(sut.baseUrl).get(`${image.pathname}${image.search}`).expect(200);

    expect(Buffer.compare(served.body as Buffer, tinyJpeg())).toBe(0);
    expect(image.pathname).toMatch(/^\/v1\/blobs\/media%2F/);
  }, 30_000);

  it('should close the file of every aborted download, and answer downloads racing a delete with 200 or 404', async () => {
    const post = await publishPost(sut.baseUrl, ann, 'big', bigJpeg());
    await request(sut.baseUrl).get('/healthz').expect(200);
    const before = openFiles(sut.child.pid!);

    await pool(
      Array.from({ length: 60 }, (_, i) => i),
      10,
      () => abortedDownload(post.imageUrl),
    );
    // A client that half-closes right after its request: the connection is gone before the file is open.
    const { pathname, search } = new URL(post.imageUrl);
    await pool(
      Array.from({ length: 50 }, (_, i) => i),
      10,
      () => raw(port, (socket) => socket.end(`GET ${pathname}${search} HTTP/1.1\r\nHost: x\r\n\r\n`), 2_000),
    );
    const racing = await publishPost(sut.baseUrl, ann, 'racing', bigJpeg());
    const image = new URL(racing.imageUrl);
    const [downloads] = await Promise.all([
      Promise.all(
        Array.from({ length: 20 }, () =>
          request(sut.baseUrl)
            .get(`${image.pathname}${image.search}`)
            .then((res) => res.status),
        ),
      ),
      request(sut.baseUrl).delete(`/v1/posts/${racing.id}`).set('Authorization', ann.auth).expect(204),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = openFiles(sut.child.pid!);
    process.stdout.write(
      `probe: open files ${before} before 60 aborted and 50 half-closed downloads and 20 racing a delete, ${after} after\n`,
    );

    expect(downloads.every((status) => status === 200 || status === 404)).toBe(true);
    expect(after).toBeLessThanOrEqual(before + 2);
    await expectAlive();
  }, 30_000);

  it('should parse a +json body instead of ignoring it, refuse inherited names, and never 5xx on a long pipeline', async () => {
    const merged = await attack(
      'PATCH as application/merge-patch+json',
      () =>
        request(sut.baseUrl)
          .patch('/v1/me')
          .set('Authorization', ann.auth)
          .set('Content-Type', 'application/merge-patch+json')
          .send('{"bio":"via merge-patch"}'),
      200,
    );
    await attack(
      'GET ?toString=1',
      () => request(sut.baseUrl).get('/v1/timeline?toString=1').set('Authorization', ann.auth),
      400,
    );
    const pipelined = await raw(
      port,
      (socket) => socket.end('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(1_005)),
      HANG_MS,
    );
    const statuses = [...pipelined.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => match[1]);

    expect(merged.body.bio).toBe('via merge-patch');
    expect(new Set(statuses)).toEqual(new Set(['200']));
    expect(statuses).toHaveLength(1_005);
  }, 30_000);
});
