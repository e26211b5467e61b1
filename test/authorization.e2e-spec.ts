import { readFileSync } from 'node:fs';
import request from 'supertest';
import { tinyJpeg } from './support/images.js';
import { publishPost } from './support/posts.js';
import { relative, type SignedIn, signIn, startTestApp, type TestApp } from './support/app.js';
import { expectProblem, fieldMessages } from './support/problems.js';

interface Operation {
  method: 'get' | 'put' | 'post' | 'patch' | 'delete';
  path: string;
  secured: boolean;
}

const openApi = JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
};
const operations: Operation[] = Object.entries(openApi.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    method: method as Operation['method'],
    path,
    secured: (op.security?.length ?? 0) > 0,
  })),
);

/** User B acting on user A's objects, and everybody reading: B is refused, and A's data stays A's. */
describe('object-level authorization (e2e)', () => {
  let sut: TestApp;
  let ada: SignedIn;
  let bob: SignedIn;
  let cal: SignedIn;
  let adaPost: { id: string };
  let calPost: { id: string };
  let adaComment: string;
  const http = () => request(sut.app.getHttpServer());

  beforeAll(async () => {
    sut = await startTestApp();
    [ada, bob, cal] = await Promise.all(
      ['ada', 'bob', 'cal'].map((name) => signIn(sut.app, `${name}@example.com`, name.toUpperCase())),
    );
    await http().patch('/v1/me').set('Authorization', ada.auth).send({ username: 'ada' }).expect(200);
    [adaPost, calPost] = await Promise.all([publishPost(sut.app, ada), publishPost(sut.app, cal)]);
    await http().put(`/v1/users/${cal.id}/follow`).set('Authorization', ada.auth).expect(200);
    await http().put(`/v1/posts/${calPost.id}/like`).set('Authorization', ada.auth).expect(200);
    await http().put(`/v1/posts/${adaPost.id}/like`).set('Authorization', cal.auth).expect(200);
    const comment = await http()
      .post(`/v1/posts/${adaPost.id}/comments`)
      .set('Authorization', ada.auth)
      .send({ text: 'mine' })
      .expect(201);
    adaComment = (comment.body as { id: string }).id;
  });

  afterAll(() => sut.close());

  /** The operation's path with real ids: A's user, A's post and comment, so a missing check would act on A. */
  const concrete = (path: string) =>
    path
      .replace('/v1/posts/{id}', `/v1/posts/${adaPost.id}`)
      .replace('/v1/comments/{id}', `/v1/comments/${adaComment}`)
      .replace('{id}', ada.id)
      .replace('{username}', 'ada')
      .replace('{tag}', 'ada')
      .replace(/^\/v1\/search\/(users|tags)$/, '$&?q=ada');

  it('should refuse every secured operation without a token or with a token whose claims were changed', async () => {
    const [header, payload, signature] = ada.auth.slice('Bearer '.length).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `Bearer ${header}.${Buffer.from(JSON.stringify({ ...claims, sub: bob.id })).toString('base64url')}.${signature}`;
    const secured = operations.filter((op) => op.secured);

    const answers = await Promise.all(
      secured.flatMap((op) => [
        http()[op.method](concrete(op.path)),
        http()[op.method](concrete(op.path)).set('Authorization', forged),
      ]),
    );

    expect(secured.length).toBeGreaterThanOrEqual(15);
    const described = (status: (i: number) => number) =>
      secured.flatMap((op, i) => [0, 1].map((j) => `${op.method} ${op.path} ${status(2 * i + j)}`));
    expect(described((i) => answers[i].status)).toEqual(described(() => 401));
    await http().get(`/v1/posts/${adaPost.id}`).set('Authorization', ada.auth).expect(200);
    process.stdout.write(
      `authorization: ${secured.length} secured operations x 2 -> ${answers.length} answers, all 401\n`,
    );
  });

  it("should refuse B deleting A's post and keep the post with its likes", async () => {
    const res = await http().delete(`/v1/posts/${adaPost.id}`).set('Authorization', bob.auth);

    expect(expectProblem(res, 403, 'not_post_author').detail).toBe('only the author (or an admin) can delete a post');
    const post = await http().get(`/v1/posts/${adaPost.id}`).set('Authorization', ada.auth).expect(200);
    expect(post.body).toMatchObject({ id: adaPost.id, likeCount: 1 });
  });

  it("should refuse B publishing A's upload or writing its bytes, and leave it to A", async () => {
    const jpeg = tinyJpeg();
    const ask = (user: SignedIn) =>
      http()
        .post('/v1/uploads')
        .set('Authorization', user.auth)
        .send({ contentType: 'image/jpeg', contentLength: jpeg.length })
        .expect(201);
    const [adaUpload, bobUpload] = (await Promise.all([ask(ada), ask(bob)])).map(
      (res) => res.body as { uploadId: string; uploadUrl: string; headers: Record<string, string> },
    );
    const adaUrl = new URL(adaUpload.uploadUrl);
    const bobUrl = new URL(bobUpload.uploadUrl);

    const withBobsSignature = await http().put(`${adaUrl.pathname}${bobUrl.search}`).set(bobUpload.headers).send(jpeg);
    const unsigned = await http().put(adaUrl.pathname).set(adaUpload.headers).send(jpeg);
    await http().put(relative(adaUpload.uploadUrl)).set(adaUpload.headers).send(jpeg).expect(200);
    const publish = await http()
      .post('/v1/posts')
      .set('Authorization', bob.auth)
      .send({ uploadId: adaUpload.uploadId });

    expect([withBobsSignature.status, unsigned.status]).toEqual([403, 403]);
    expect(expectProblem(publish, 403, 'not_upload_owner').detail).toBe(
      `the upload: upload ${adaUpload.uploadId} belongs to another user`,
    );
    const bobsPosts = await http().get(`/v1/users/${bob.id}/posts`).set('Authorization', bob.auth).expect(200);
    expect(bobsPosts.body.items).toEqual([]);
    await http().post('/v1/posts').set('Authorization', ada.auth).send({ uploadId: adaUpload.uploadId }).expect(201);
  });

  it("should give B no way to edit A's profile", async () => {
    const before = await http().get(`/v1/users/${ada.id}`).set('Authorization', bob.auth).expect(200);
    const asAda = await http()
      .patch('/v1/me')
      .set('Authorization', bob.auth)
      .send({ id: ada.id, displayName: 'Mallory' });
    const byPath = await http().patch(`/v1/users/${ada.id}`).set('Authorization', bob.auth).send({ displayName: 'X' });
    const takeName = await http().patch('/v1/me').set('Authorization', bob.auth).send({ username: 'ada' });

    expect(fieldMessages(asAda)).toEqual(['property id should not exist']);
    expect(byPath.status).toBe(404);
    expect(takeName.status).toBe(409);
    const after = await http().get(`/v1/users/${ada.id}`).set('Authorization', bob.auth).expect(200);
    expect(after.body).toEqual(before.body);
    expect(after.body).toMatchObject({ username: 'ada' });
  });

  it("should make B's follows and likes act on B only, never on A's", async () => {
    await http().delete(`/v1/users/${cal.id}/follow`).set('Authorization', bob.auth).expect(200);
    await http().delete(`/v1/posts/${calPost.id}/like`).set('Authorization', bob.auth).expect(200);
    await http().put(`/v1/users/${cal.id}/follow?userId=${ada.id}`).set('Authorization', bob.auth).expect(200);

    const followers = await http().get(`/v1/users/${cal.id}/followers`).set('Authorization', cal.auth).expect(200);
    const likers = await http().get(`/v1/posts/${calPost.id}/likers`).set('Authorization', cal.auth).expect(200);
    const adaFollows = await http().get(`/v1/users/${ada.id}/following`).set('Authorization', ada.auth).expect(200);
    const ids = (res: request.Response) => (res.body as { items: { id: string }[] }).items.map((u) => u.id).sort();

    expect(ids(followers)).toEqual([ada.id, bob.id].sort());
    expect(ids(likers)).toEqual([ada.id]);
    expect(ids(adaFollows)).toEqual([cal.id]);
    await http().delete(`/v1/users/${cal.id}/follow`).set('Authorization', bob.auth).expect(200);
  });

  it("should show nobody another user's email, on any read", async () => {
    // Admin reads answer 403 admin_only to everyone else.
    const secured = operations.filter((op) => op.secured && op.method === 'get');
    const reads = secured.filter((op) => !op.path.startsWith('/v1/admin/'));
    const adminReads = secured.filter((op) => op.path.startsWith('/v1/admin/'));

    const answers = await Promise.all(reads.map((op) => http().get(concrete(op.path)).set('Authorization', bob.auth)));
    const me = await http().get('/v1/me').set('Authorization', ada.auth).expect(200);

    expect(adminReads.length).toBeGreaterThan(0);
    for (const op of adminReads) {
      await http()
        .get(concrete(op.path))
        .set('Authorization', bob.auth)
        .expect(403, /admin_only/);
    }
    expect(answers.map((res) => res.status)).toEqual(reads.map(() => 200));
    for (const res of answers) {
      expect(res.text).not.toContain('ada@example.com');
      expect(res.text).not.toContain('cal@example.com');
    }
    expect(me.body.email).toBe('ada@example.com');
    process.stdout.write(`authorization: ${reads.length} reads as B over A's objects, no foreign email\n`);
  });
});
