import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LikesRepository } from '../src/repositories/likes.repository.js';
import { UsersRepository } from '../src/repositories/users.repository.js';
import { StoreContentionError } from '../src/store/store.errors.js';
import { http as target, signIn, startTestApp, type SignedIn, type TestApp } from './support/app.js';
import { tinyJpeg } from './support/images.js';
import { publishPost, uploadImage } from './support/posts.js';
import { expectProblem } from './support/problems.js';

/**
 * The statuses no other e2e spec provokes through the whole pipeline; each answer must be problem details (the
 * others are checked where their behaviour is: 400, 401, 403, 404, 409, 413, 415, 429 and 503 not_ready).
 */
describe('problem details on every status (e2e)', () => {
  let sut: TestApp;
  let ada: SignedIn;
  const http = () => target(sut.app);

  beforeAll(async () => {
    sut = await startTestApp({ HTTP_BODY_TIMEOUT_MS: '300' });
    await sut.app.listen(0, '127.0.0.1');
    ada = await signIn(sut.app, 'ada@example.com');
  }, 60_000);

  afterAll(() => sut.close());

  it('should answer a second PUT to a used upload URL with 412 upload_url_used', async () => {
    const { uploadUrl, headers } = await uploadImage(sut.app, ada);
    const url = new URL(uploadUrl);

    const again = await http().put(`${url.pathname}${url.search}`).set(headers).send(tinyJpeg());

    expect(expectProblem(again, 412, 'upload_url_used').detail).toBe('this upload URL was used already');
  });

  it('should answer a body that does not arrive in time with 408 request_timeout', async () => {
    const { port } = sut.app.getHttpServer().address() as AddressInfo;

    const answer = await new Promise<{ status?: number; type?: string; body: string }>((resolve, reject) => {
      const req = httpRequest({
        port,
        method: 'PATCH',
        path: '/v1/me',
        headers: { Authorization: ada.auth, 'Content-Type': 'application/json', 'Content-Length': '100' },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body }));
      });
      req.on('error', reject);
      req.write('{"bio":');
    });

    expect([answer.status, answer.type]).toEqual([408, expect.stringMatching(/^application\/problem\+json/)]);
    expect(JSON.parse(answer.body)).toMatchObject({
      type: 'urn:picfeed:problem:request_timeout',
      status: 408,
      code: 'request_timeout',
      detail: 'request body did not arrive within 0.3 s',
      requestId: expect.any(String),
    });
  });

  it('should answer exhausted contention with 503 store_contention and Retry-After', async () => {
    const { id } = await publishPost(sut.app, ada);
    const likes = sut.app.get(LikesRepository);
    const setLiked = likes.setLiked.bind(likes);
    likes.setLiked = () => Promise.reject(new StoreContentionError(8));
    try {
      const res = await http().put(`/v1/posts/${id}/like`).set('Authorization', ada.auth);

      expectProblem(res, 503, 'store_contention');
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      likes.setLiked = setLiked;
    }
  });

  it('should answer an unexpected failure with 500 internal_error, the request id and no internals', async () => {
    const users = sut.app.get(UsersRepository);
    const recordsLookup = users.recordsLookup.bind(users);
    users.recordsLookup = () => {
      throw new TypeError('secret internals');
    };
    try {
      const res = await http().get('/v1/me').set('Authorization', ada.auth).set('X-Request-Id', 'req-500');

      expect(expectProblem(res, 500, 'internal_error')).toMatchObject({
        detail: 'internal error',
        requestId: 'req-500',
      });
      expect(res.text).not.toContain('secret');
      expect(sut.logs).toContainEqual(
        expect.objectContaining({ severity: 'ERROR', message: 'secret internals', requestId: 'req-500' }),
      );
    } finally {
      users.recordsLookup = recordsLookup;
    }
  });
});
