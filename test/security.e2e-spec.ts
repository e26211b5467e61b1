import request from 'supertest';
import { signIn, startTestApp, type TestApp } from './support/app.js';
import { expectProblem } from './support/problems.js';

describe('abuse and security headers (e2e)', () => {
  let sut: TestApp;

  afterEach(() => sut.close());

  it('should limit each user to WRITE_RATE_LIMIT writes, answering 429 with Retry-After, and leave reads and others alone', async () => {
    sut = await startTestApp({ WRITE_RATE_LIMIT: '5' });
    const server = sut.app.getHttpServer();
    const [ann, bob, cat] = await Promise.all(['ann', 'bob', 'cat'].map((n) => signIn(sut.app, `${n}@example.com`)));

    const writes = await Promise.all(
      [bob, cat, bob, cat, bob, cat, bob].map((target) =>
        request(server).put(`/v1/users/${target.id}/follow`).set('Authorization', ann.auth),
      ),
    );
    const statuses = writes.map((res) => res.status);
    const refused = writes.filter((res) => res.status === 429);
    const read = await request(server).get('/v1/me').set('Authorization', ann.auth);
    const other = await request(server).put(`/v1/users/${ann.id}/follow`).set('Authorization', bob.auth);

    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(refused).toHaveLength(2);
    for (const res of refused) {
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(12);
      expect(expectProblem(res, 429, 'rate_limited').detail).toContain('at most 5 a minute');
    }
    expect(read.status).toBe(200);
    expect(other.status).toBe(200);
    process.stdout.write(
      `rate limit: 7 writes at a limit of 5 -> ${statuses.join(' ')}; Retry-After ${refused[0].headers['retry-after']} s\n`,
    );
  });

  it('should limit reads per user and the open blob routes per address, with RateLimit headers on every 429', async () => {
    sut = await startTestApp({ READ_RATE_LIMIT: '4' });
    const server = sut.app.getHttpServer();
    const ann = await signIn(sut.app, 'ann@example.com');

    const reads = await Promise.all(
      Array.from({ length: 6 }, () => request(server).get('/v1/me').set('Authorization', ann.auth)),
    );
    const blobs = await Promise.all(Array.from({ length: 6 }, () => request(server).get('/v1/blobs/uploads')));
    const health = await Promise.all(Array.from({ length: 6 }, () => request(server).get('/healthz')));

    // signIn made one read already: 3 more pass.
    expect(reads.map((res) => res.status).sort()).toEqual([200, 200, 200, 429, 429, 429]);
    expect(blobs.map((res) => res.status).sort()).toEqual([403, 403, 403, 403, 429, 429]);
    expect(health.map((res) => res.status)).toEqual([200, 200, 200, 200, 200, 200]);
    for (const res of [...reads, ...blobs].filter((answer) => answer.status === 429)) {
      expect(res.headers).toMatchObject({ 'ratelimit-limit': '4', 'ratelimit-remaining': '0' });
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
      expect(res.headers['retry-after']).toBe(res.headers['ratelimit-reset']);
    }
    expect(reads[0].headers['ratelimit-limit']).toBe('4');
  });

  it('should send security headers: a closed CSP on the API, one Swagger UI can live with on /docs', async () => {
    sut = await startTestApp();
    const server = sut.app.getHttpServer();

    const api = await request(server).get('/healthz').expect(200);
    const docs = await request(server).get('/docs').expect(200);

    expect(api.headers).toMatchObject({
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
      'cross-origin-resource-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
    });
    expect(api.headers['x-powered-by']).toBeUndefined();
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
    expect(docs.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(docs.text).not.toMatch(/<script>(?!\s*<\/script>)/);
  });

  it('should let other origins show images from the local blob folder', async () => {
    sut = await startTestApp();

    const res = await request(sut.app.getHttpServer()).get('/v1/blobs/posts%2Fnone.jpg');

    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });

  it('should refuse a body that is not UTF-8 JSON with 415 naming the type or charset it got', async () => {
    sut = await startTestApp();
    const ann = await signIn(sut.app, 'ann@example.com');

    const res = await request(sut.app.getHttpServer())
      .patch('/v1/me')
      .set('Authorization', ann.auth)
      .set('Content-Type', 'text/plain')
      .send('displayName=Ann');

    const utf7 = await request(sut.app.getHttpServer())
      .patch('/v1/me')
      .set('Authorization', ann.auth)
      .set('Content-Type', 'application/json; charset=utf-7')
      .send('{"displayName":"+ADw-script+AD4-"}');

    expect(expectProblem(res, 415, 'unsupported_media_type').detail).toBe(
      'request body must be application/json, got text/plain',
    );
    expect(expectProblem(utf7, 415, 'unsupported_media_type').detail).toBe(
      'request body must be UTF-8, got charset utf-7',
    );
  });
});
