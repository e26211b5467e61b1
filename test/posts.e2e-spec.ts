import request from 'supertest';
import { BlobStore } from '../src/blobs/blob-store.js';
import { FollowsRepository } from '../src/repositories/follows.repository.js';
import { UploadSweeper } from '../src/posts/upload-sweeper.js';
import { ReceiversRepository } from '../src/repositories/receivers.repository.js';
import { tinyJpeg } from './support/images.js';
import { relative, type SignedIn, signIn, startTestApp, type TestApp } from './support/app.js';
import { expectProblem, fieldMessages } from './support/problems.js';

interface UploadBody {
  uploadId: string;
  uploadUrl: string;
  method: string;
  headers: Record<string, string>;
  expiresAt: string;
}

describe('uploads and posts (e2e)', () => {
  const jpeg = tinyJpeg();
  let sut: TestApp;
  let ada: SignedIn;
  let bob: SignedIn;

  beforeEach(async () => {
    sut = await startTestApp({ FOLLOWER_BATCH_SIZE: '3', UPLOAD_MAX_BYTES: '4096' });
    [ada, bob] = await Promise.all([signIn(sut.app, 'ada@example.com'), signIn(sut.app, 'bob@example.com')]);
  });

  afterEach(() => sut.close());

  const http = () => request(sut.app.getHttpServer());

  async function askUpload(user: SignedIn, contentLength = jpeg.length, contentType = 'image/jpeg') {
    const res = await http()
      .post('/v1/uploads')
      .set('Authorization', user.auth)
      .send({ contentType, contentLength })
      .expect(201);
    return res.body as UploadBody;
  }

  function putBytes(upload: UploadBody, bytes: Buffer, headers = upload.headers) {
    return http().put(relative(upload.uploadUrl)).set(headers).send(bytes);
  }

  async function publish(user: SignedIn, caption = 'hello') {
    const upload = await askUpload(user);
    await putBytes(upload, jpeg).expect(200);
    const res = await http()
      .post('/v1/posts')
      .set('Authorization', user.auth)
      .send({ uploadId: upload.uploadId, caption })
      .expect(201);
    return { upload, post: res.body as { id: string; imageUrl: string } };
  }

  it('should take an image from signed upload to post, serve it only as WebP variants and delete the original', async () => {
    const upload = await askUpload(ada);
    expect(upload).toEqual({
      uploadId: expect.stringMatching(/^[0-9a-f]{32}$/),
      uploadUrl: expect.stringContaining('/v1/blobs/'),
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      expiresAt: expect.any(String),
    });
    const ttl = Date.parse(upload.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);

    await putBytes(upload, jpeg).expect(200);
    const created: { body: { id: string; imageUrl: string } } = await http()
      .post('/v1/posts')
      .set('Authorization', ada.auth)
      .send({ uploadId: upload.uploadId, caption: 'first light' })
      .expect(201);

    const url = expect.stringContaining('/v1/blobs/media%2F') as string;
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{2}-\d{13}-[0-9a-f]{8}$/),
      author: { id: ada.id, username: 'ada', displayName: 'ada', avatarUrl: null },
      media: [
        {
          width: 8,
          height: 8,
          blurhash: expect.any(String),
          altText: null,
          url,
          variants: [{ width: 8, height: 8, url }],
        },
      ],
      imageUrl: url,
      caption: 'first light',
      tags: [],
      mentions: [],
      createdAt: expect.any(String),
      editedAt: null,
      likeCount: 0,
      likedByMe: false,
      commentCount: 0,
      commentsEnabled: true,
    });
    const image = await http().get(relative(created.body.imageUrl)).buffer(true).expect(200);
    expect(image.headers['content-type']).toBe('image/webp');
    expect((image.body as Buffer).subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(image.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await http().get(relative(created.body.imageUrl)).set('If-None-Match', image.headers.etag).expect(304);
    // The original is gone once its variants exist.
    expect(await sut.app.get(BlobStore).stat(`uploads/${ada.id}/${upload.uploadId}`)).toBeUndefined();
    const fetched = await http().get(`/v1/posts/${created.body.id}`).set('Authorization', bob.auth).expect(200);
    expect(fetched.body).toEqual(created.body);
    const mine = await http().get(`/v1/users/${ada.id}/posts`).set('Authorization', bob.auth).expect(200);
    expect((mine.body as { items: { id: string }[] }).items.map((post) => post.id)).toEqual([created.body.id]);
    const profile = await http().get(`/v1/users/${ada.id}`).set('Authorization', bob.auth).expect(200);
    expect(profile.body.postCount).toBe(1);
  });

  it('should refuse bad upload requests with the field named', async () => {
    const cases: [unknown, number, string][] = [
      [{ contentType: 'image/gif', contentLength: 10 }, 400, 'contentType must be one of'],
      [{ contentType: 'image/jpeg', contentLength: 0 }, 400, 'contentLength must be at least 1'],
      [{ contentType: 'image/jpeg', contentLength: '12' }, 400, 'contentLength must be an integer'],
      [{ contentType: 'image/jpeg' }, 400, 'contentLength must be an integer'],
      [{ contentType: 'image/jpeg', contentLength: 10, extra: 1 }, 400, 'property extra should not exist'],
      [{ contentType: 'image/jpeg', contentLength: 4097 }, 413, 'contentLength must be at most 4096 bytes'],
    ];
    for (const [body, status, message] of cases) {
      const res = await http()
        .post('/v1/uploads')
        .set('Authorization', ada.auth)
        .send(body as object);
      expect(expectProblem(res, status).detail).toContain(message);
    }
  });

  it('should refuse a PUT with a bad signature, another type or too many bytes, and keep nothing of it', async () => {
    const upload = await askUpload(ada);
    const url = new URL(upload.uploadUrl);

    const tampered = new URL(url);
    tampered.searchParams.set('max', '999999');
    await http().put(relative(tampered.href)).set(upload.headers).send(jpeg).expect(403);
    const expiredLater = new URL(url);
    expiredLater.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    await http().put(relative(expiredLater.href)).set(upload.headers).send(jpeg).expect(403);
    const otherType = await putBytes(upload, jpeg, { 'Content-Type': 'image/png' }).expect(403);
    expect(expectProblem(otherType, 403, 'blob_type_mismatch').detail).toContain('Content-Type must be image/jpeg');
    expectProblem(await putBytes(upload, Buffer.concat([jpeg, Buffer.alloc(10)])), 413, 'upload_too_large');
    expectProblem(await http().get(`${url.pathname}?expires=1&sig=x`), 403, 'blob_url_invalid');

    const post = await http().post('/v1/posts').set('Authorization', ada.auth).send({ uploadId: upload.uploadId });
    expect(expectProblem(post, 400, 'upload_missing').detail).toBe(
      `the upload: nothing was uploaded for upload ${upload.uploadId} yet`,
    );
  });

  it('should refuse a text file declared as JPEG and make no post', async () => {
    const text = Buffer.from('this is not an image at all, just text');
    const upload = await askUpload(ada, text.length);
    await putBytes(upload, text).expect(200);

    const res = await http().post('/v1/posts').set('Authorization', ada.auth).send({ uploadId: upload.uploadId });

    expect(expectProblem(res, 400, 'invalid_image').detail).toBe('the upload is not a valid image/jpeg file');
    const posts = await http().get(`/v1/users/${ada.id}/posts`).set('Authorization', ada.auth).expect(200);
    expect(posts.body.items).toEqual([]);
  });

  it("should refuse another user's upload, an unknown one and a bad body", async () => {
    const upload = await askUpload(ada);
    await putBytes(upload, jpeg).expect(200);

    const foreign = await http().post('/v1/posts').set('Authorization', bob.auth).send({ uploadId: upload.uploadId });
    const unknown = await http()
      .post('/v1/posts')
      .set('Authorization', ada.auth)
      .send({ uploadId: 'f'.repeat(32) });
    const long = await http()
      .post('/v1/posts')
      .set('Authorization', ada.auth)
      .send({ uploadId: upload.uploadId, caption: 'x'.repeat(2201) });
    const malformed = await http().post('/v1/posts').set('Authorization', ada.auth).send({ uploadId: '../etc' });

    expect(expectProblem(foreign, 403, 'not_upload_owner').detail).toBe(
      `the upload: upload ${upload.uploadId} belongs to another user`,
    );
    expect(expectProblem(unknown, 404, 'upload_not_found').detail).toBe(
      `the upload: upload ${'f'.repeat(32)} not found`,
    );
    expect(fieldMessages(long)).toEqual(['caption must be at most 2,200 characters']);
    expectProblem(malformed, 400, 'validation_failed');
  });

  it('should answer a retried publish with the same post and count it once', async () => {
    const upload = await askUpload(ada);
    await putBytes(upload, jpeg).expect(200);

    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        http().post('/v1/posts').set('Authorization', ada.auth).send({ uploadId: upload.uploadId }),
      ),
    );

    expect(answers.map((res) => res.status)).toEqual(Array(5).fill(201));
    expect(new Set(answers.map((res) => (res.body as { id: string }).id)).size).toBe(1);
    const profile = await http().get(`/v1/users/${ada.id}`).set('Authorization', bob.auth).expect(200);
    expect(profile.body.postCount).toBe(1);
  });

  it('should let only the author delete a post, and remove it with its image', async () => {
    const { post } = await publish(ada);

    const foreign = await http().delete(`/v1/posts/${post.id}`).set('Authorization', bob.auth);
    expect(expectProblem(foreign, 403, 'not_post_author').detail).toBe(
      'only the author (or an admin) can delete a post',
    );
    await http().delete(`/v1/posts/${post.id}`).set('Authorization', ada.auth).expect(204);

    // Gone at once; what hangs off it goes with the clean-up task.
    await http().get(`/v1/posts/${post.id}`).set('Authorization', ada.auth).expect(404);
    await http().delete(`/v1/posts/${post.id}`).set('Authorization', ada.auth).expect(404);
    await sut.settled();
    await http().get(relative(post.imageUrl)).expect(404);
    expect(await sut.app.get(ReceiversRepository).countFor(post.id)).toBe(0);
    const profile = await http().get(`/v1/users/${ada.id}`).set('Authorization', bob.auth).expect(200);
    expect(profile.body.postCount).toBe(0);
    await http().get('/v1/posts/not-a-post').set('Authorization', ada.auth).expect(400);
  });

  it('should fan out one receiver per follower batch plus the author, and none more on a repeat', async () => {
    const fans = await Promise.all(Array.from({ length: 10 }, (_, i) => signIn(sut.app, `fan${i}@example.com`)));
    for (const fan of fans) {
      await http().put(`/v1/users/${ada.id}/follow`).set('Authorization', fan.auth).expect(200);
    }
    const batches = await sut.app.get(FollowsRepository).followerBatches(ada.id);
    expect(batches.length).toBeGreaterThanOrEqual(4);

    const { upload, post } = await publish(ada);
    const receivers = sut.app.get(ReceiversRepository);
    await sut.settled();
    expect(await receivers.countFor(post.id)).toBe(batches.length + 1);

    await http().post('/v1/posts').set('Authorization', ada.auth).send({ uploadId: upload.uploadId }).expect(201);
    await sut.settled();
    expect(await receivers.countFor(post.id)).toBe(batches.length + 1);
  });

  it('should sweep uploads left unpublished for a day, and keep what a post shows', async () => {
    const blobs = sut.app.get(BlobStore);
    const left = await askUpload(ada);
    await http().put(relative(left.uploadUrl)).set(left.headers).send(jpeg).expect(200);
    const used = await askUpload(ada);
    await http().put(relative(used.uploadUrl)).set(used.headers).send(jpeg).expect(200);
    const post = await http()
      .post('/v1/posts')
      .set('Authorization', ada.auth)
      .send({ uploadId: used.uploadId })
      .expect(201);
    const sweeper = sut.app.get(UploadSweeper);

    const now = await sweeper.sweep();
    const dayLater = await sweeper.sweep(new Date(Date.now() + 25 * 3600_000));

    // The post's original went at publish (the sweep finds no file of it); the unpublished upload's goes now.
    expect(now).toEqual({ records: 0, files: 0 });
    expect(dayLater).toEqual({ records: 1, files: 0 });
    expect(await blobs.stat(`uploads/${ada.id}/${left.uploadId}`)).toBeUndefined();
    const publish = await http().post('/v1/posts').set('Authorization', ada.auth).send({ uploadId: left.uploadId });
    expect(publish.status).toBe(404);
    const image = await http().get(relative((post.body as { imageUrl: string }).imageUrl));
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/webp');
  });
});
