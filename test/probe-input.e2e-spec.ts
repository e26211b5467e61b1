import { pool } from './support/pool.js';
import { b64, HANG_MS, probeSuite, raw } from './support/probe-server.js';
import { waitFor } from './support/wait-for.js';

/** The X-Request-Id of the request that marks the end of the bad-cursor cases in the server's log. */
const AFTER_CASES = 'after-bad-cursors';

describe('malformed input to a server process: every case answered with a 4xx, the process alive after (e2e)', () => {
  const server = probeSuite('probe input');

  it('should answer an unknown user with a bad cursor once and stay up (it used to exit the process)', async () => {
    for (const list of ['followers', 'following', 'posts']) {
      for (const cursor of [
        'AAAA',
        b64({ store: 'AAAA', check: 'x' }),
        b64({ store: 'AAAA', check: 'x'.repeat(22) }),
      ]) {
        await server.attack(
          `/v1/users/nobody/${list}?cursor=${cursor}`,
          () => server.asAnn('get', `/v1/users/nobody/${list}?cursor=${cursor}`),
          400,
        );
      }
    }
    await server.attack(
      'likers of an unknown post with a bad cursor',
      () => server.asAnn('get', '/v1/posts/0f-0000000000001-0000000f/likers?cursor=AAAA'),
      400,
    );
    // A rejection nobody awaited is logged as CRITICAL (it used to end the process). The log is written in order, so
    // once it shows a request sent after every case, any such rejection those cases left is in it too.
    await server.http().get('/healthz').set('X-Request-Id', AFTER_CASES).expect(200);
    await waitFor(() => server.sut.output().includes(`"requestId":"${AFTER_CASES}"`), {
      what: 'the server to log the request sent after the bad cursors',
      timeoutMs: HANG_MS,
    });
    expect(server.sut.output()).not.toContain('unhandled promise rejection');
    await server.expectAlive();
  }, 30_000);

  it('should change only the fields a PATCH sends, and keep the username usable', async () => {
    const before = (await server.asAnn('get', '/v1/me').expect(200)).body as {
      username: string;
      displayName: string;
    };

    const patched = await server.attack(
      'PATCH /v1/me {bio}',
      () => server.asAnn('patch', '/v1/me').send({ bio: 'hello' }),
      200,
    );
    const renamed = await server.attack(
      'PATCH /v1/me {username}',
      () => server.asAnn('patch', '/v1/me').send({ username: 'ann_probe' }),
      200,
    );

    expect(patched.body).toMatchObject({ bio: 'hello', username: before.username, displayName: before.displayName });
    expect(renamed.body).toMatchObject({ bio: 'hello', username: 'ann_probe', displayName: before.displayName });
  }, 30_000);

  it('should refuse reserved names as ids and usernames, and give a reserved email a valid username', async () => {
    for (const path of ['/v1/users/__proto__', '/v1/users/__key__/followers', '/v1/users/by-username/__proto__']) {
      await server.attack(`GET ${path}`, () => server.asAnn('get', path), 400);
    }
    await server.attack(
      'PATCH username __proto__',
      () => server.asAnn('patch', '/v1/me').send({ username: '__proto__' }),
      400,
    );
    await server.attack('GET ?__proto__=1', () => server.asAnn('get', '/v1/timeline?__proto__=1'), 400);
    await server.attack(
      'PATCH with a duplicate key',
      () => server.asAnn('patch', '/v1/me').set('Content-Type', 'application/json').send('{"bio":"a","bio":"b"}'),
      400,
    );
    const me = await server.http().get('/v1/me').set('Authorization', server.bob.auth).expect(200);
    expect(me.body.username).toBe('user__proto__');
  }, 30_000);

  it('should refuse every token that cannot be valid with a 401', async () => {
    const [header, payload, signature] = server.ann.auth.slice('Bearer '.length).split('.');
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
      server.attack(`token ${name}`, () => server.http().get('/v1/me').set('Authorization', `Bearer ${token}`), 401),
    );
  }, 30_000);

  it('should parse a +json body instead of ignoring it, refuse inherited names, and never 5xx on a long pipeline', async () => {
    const merged = await server.attack(
      'PATCH as application/merge-patch+json',
      () =>
        server
          .asAnn('patch', '/v1/me')
          .set('Content-Type', 'application/merge-patch+json')
          .send('{"bio":"via merge-patch"}'),
      200,
    );
    await server.attack('GET ?toString=1', () => server.asAnn('get', '/v1/timeline?toString=1'), 400);
    const pipelined = await raw(
      server.port,
      (socket) => socket.end('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(1_005)),
      HANG_MS,
    );
    const statuses = [...pipelined.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => match[1]);

    expect(merged.body.bio).toBe('via merge-patch');
    expect(new Set(statuses)).toEqual(new Set(['200']));
    expect(statuses).toHaveLength(1_005);
  }, 30_000);
});
