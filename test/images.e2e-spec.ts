import sharp from 'sharp';
import request from 'supertest';
import { relative, type SignedIn, signIn, startTestApp, type TestApp } from './support/app.js';
import { cameraJpeg, photoJpeg, tinyJpeg, transparentPng } from './support/images.js';
import { uploadImage } from './support/posts.js';
import { expectProblem, fieldMessages } from './support/problems.js';

interface Variant {
  width: number;
  height: number;
  url: string;
}
interface Media extends Variant {
  blurhash: string;
  altText: string | null;
  variants: Variant[];
}
interface Post {
  id: string;
  author: { avatarUrl: string | null };
  media: Media[];
  imageUrl: string;
}

describe('images: variants, albums, alt text and avatars (e2e)', () => {
  let sut: TestApp;
  let ada: SignedIn;
  let bob: SignedIn;

  beforeAll(async () => {
    sut = await startTestApp();
    [ada, bob] = await Promise.all([signIn(sut.app, 'ada@example.com'), signIn(sut.app, 'bob@example.com')]);
  });

  afterAll(() => sut.close());

  const http = () => request(sut.app.getHttpServer());
  const upload = async (user: SignedIn, bytes: Buffer, type = 'image/jpeg') =>
    (await uploadImage(sut.app, user, bytes, type)).uploadId;
  const post = (user: SignedIn, body: object) => http().post('/v1/posts').set('Authorization', user.auth).send(body);
  const fetchImage = async (url: string) => (await http().get(relative(url)).buffer(true).expect(200)).body as Buffer;

  it('should show a portrait camera photo upright, with no EXIF, GPS or camera data left in any variant', async () => {
    const res = await post(ada, { uploadId: await upload(ada, await cameraJpeg()) }).expect(201);

    const [media] = (res.body as Post).media;
    expect(media).toMatchObject({ width: 300, height: 400, altText: null });
    for (const variant of media.variants) {
      const bytes = await fetchImage(variant.url);
      const meta = await sharp(bytes).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: variant.width, height: variant.height });
      expect(meta.height).toBeGreaterThan(meta.width);
      expect([meta.exif, meta.xmp, meta.icc, meta.orientation]).toEqual([undefined, undefined, undefined, undefined]);
      expect(bytes.includes('SN-0042-SECRET') || bytes.includes('PicfeedCam')).toBe(false);
    }
  });

  it('should keep the transparency of a PNG', async () => {
    const res = await post(ada, { uploadId: await upload(ada, await transparentPng(), 'image/png') }).expect(201);

    const bytes = await fetchImage((res.body as Post).imageUrl);
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(data[3]).toBe(0); // top-left pixel: transparent
    expect(data[(info.width - 1) * 4 + 3]).toBe(255); // top-right pixel: opaque
  });

  it('should make variants 320, 640 and 1080 wide, never wider than the image, each cached a year', async () => {
    const large = (await post(ada, { uploadId: await upload(ada, await photoJpeg(2000, 1500)) }).expect(201))
      .body as Post;
    const narrow = (await post(ada, { uploadId: await upload(ada, await photoJpeg(500, 250)) }).expect(201))
      .body as Post;

    expect(large.media[0].variants.map((v) => [v.width, v.height])).toEqual([
      [320, 240],
      [640, 480],
      [1080, 810],
    ]);
    expect(narrow.media[0].variants.map((v) => [v.width, v.height])).toEqual([
      [320, 160],
      [500, 250],
    ]);
    expect(large.imageUrl).toBe(large.media[0].url);
    expect(large.media[0]).toMatchObject({ width: 1080, height: 810, url: large.media[0].variants[2].url });
    for (const variant of [...large.media[0].variants, ...narrow.media[0].variants]) {
      const res = await http().get(relative(variant.url)).buffer(true).expect(200);
      expect(res.headers).toMatchObject({
        'content-type': 'image/webp',
        'cache-control': 'public, max-age=31536000, immutable',
        etag: expect.stringMatching(/^"/) as string,
      });
      expect((await sharp(res.body as Buffer).metadata()).width).toBe(variant.width);
      const cached = await http().get(relative(variant.url)).set('If-None-Match', res.headers.etag);
      expect(cached.status).toBe(304);
      expect(cached.body).toEqual({});
    }
    // Every response shows the same URLs, so a browser's cache holds across pages and reloads.
    const again = (await http().get(`/v1/posts/${large.id}`).set('Authorization', bob.auth).expect(200)).body as Post;
    expect(again.media).toEqual(large.media);
  });

  it('should publish a 10-image album in the order given with its alt texts, once however often it is retried', async () => {
    const sizes = Array.from({ length: 10 }, (_, i) => [100 + i * 10, 100] as const);
    const ids = await Promise.all(sizes.map(async ([w, h]) => upload(ada, await photoJpeg(w, h))));
    const media = ids.map((uploadId, i) => (i === 3 ? { uploadId } : { uploadId, altText: `  picture ${i}  ` }));

    const answers = await Promise.all(Array.from({ length: 3 }, () => post(ada, { media, caption: 'album' })));

    expect(answers.map((res) => res.status)).toEqual([201, 201, 201]);
    const posts = answers.map((res) => res.body as Post);
    expect(new Set(posts.map((p) => p.id)).size).toBe(1);
    expect(posts[0].media.map((m) => [m.width, m.altText])).toEqual(
      sizes.map(([w], i) => [w, i === 3 ? null : `picture ${i}`]),
    );
    for (const item of posts[0].media) {
      expect(item.blurhash.length).toBeGreaterThanOrEqual(20);
    }
    const profile = await http().get(`/v1/users/${ada.id}`).set('Authorization', bob.auth).expect(200);
    const listed = await http().get(`/v1/users/${ada.id}/posts?limit=1`).set('Authorization', bob.auth).expect(200);
    expect((listed.body as { items: Post[] }).items[0].media).toEqual(posts[0].media);
    expect(profile.body.postCount).toBeGreaterThanOrEqual(1);
    // The same uploads again in another order, or one of them in another post: 409, nothing made.
    const reordered = await post(ada, { media: [...media].reverse() });
    const reused = await post(ada, { uploadId: ids[0] });
    expect(expectProblem(reordered, 409, 'upload_used').detail).toMatch(/is already in another post/);
    expectProblem(reused, 409, 'upload_used');
  });

  it('should refuse bad albums with the field named, before any image is touched', async () => {
    const id = await upload(ada, tinyJpeg());
    const eleven = Array.from({ length: 11 }, () => ({ uploadId: id }));
    const cases: [object, string][] = [
      [{ media: [] }, 'media must hold at least 1 image'],
      [{ media: eleven }, 'media must hold at most 10 images'],
      [{ media: [{ uploadId: id }, { uploadId: id }] }, 'media must not list an upload twice'],
      [{ media: [{ uploadId: id, altText: 'x'.repeat(1001) }] }, 'altText must be at most 1,000 characters'],
      [{ media: [{ uploadId: id, altText: 7 }] }, 'altText must be a string'],
      [{ media: [{ uploadId: 'nope' }] }, 'uploadId must be an upload id from POST /v1/uploads'],
      [{ media: [{ uploadId: id, extra: 1 }] }, 'property extra should not exist'],
      [{ media: [{}] }, 'uploadId must be an upload id from POST /v1/uploads'],
      [{ media: ['x'] }, 'each item of media must be an object {uploadId, altText?}'],
      [{ media: [[]] }, 'each item of media must be an object {uploadId, altText?}'],
      [{ media: [[{ uploadId: id }]] }, 'each item of media must be an object {uploadId, altText?}'],
      [{ media: { uploadId: id } }, 'media must be an array of {uploadId, altText?}'],
      [{ media: null }, 'media must be an array of {uploadId, altText?}'],
      [{ media: [{ uploadId: id }], uploadId: id }, 'send either media or uploadId, not both'],
      [{}, 'uploadId must be an upload id from POST /v1/uploads (or send media)'],
    ];
    for (const [body, message] of cases) {
      const res = await post(ada, body);
      expect(res.status).toBe(400);
      expect(fieldMessages(res).join('; ')).toContain(message);
    }
    await post(ada, { media: [{ uploadId: id, altText: 'one' }] }).expect(201);
  });

  it('should refuse an album with one bad or foreign image, naming it, and make no post', async () => {
    const good = await upload(ada, await photoJpeg(64, 64));
    const html = Buffer.concat([tinyJpeg().subarray(0, 3), Buffer.from('<html><script>alert(1)</script></html>')]);
    const bad = await upload(ada, html);
    const bobs = await upload(bob, tinyJpeg());
    const before = (await http().get(`/v1/users/${ada.id}`).set('Authorization', ada.auth)).body.postCount as number;

    const withBad = await post(ada, { media: [{ uploadId: good }, { uploadId: bad }] });
    const withForeign = await post(ada, { media: [{ uploadId: good }, { uploadId: bobs }] });

    expect(expectProblem(withBad, 400, 'invalid_image').detail).toMatch(/^media\[1\] /);
    expect(expectProblem(withForeign, 403, 'not_upload_owner').detail).toBe(
      `media[1]: upload ${bobs} belongs to another user`,
    );
    const after = (await http().get(`/v1/users/${ada.id}`).set('Authorization', ada.auth)).body.postCount as number;
    expect(after).toBe(before);
    // The good image can still be published on its own.
    await post(ada, { media: [{ uploadId: good }] }).expect(201);
  });

  it("should delete a post's variants with it", async () => {
    const ids = await Promise.all([photoJpeg(700, 500), photoJpeg(300, 300)].map(async (b) => upload(ada, await b)));
    const created = (await post(ada, { media: ids.map((uploadId) => ({ uploadId })) }).expect(201)).body as Post;
    const urls = created.media.flatMap((m) => m.variants.map((v) => v.url));
    expect(urls).toHaveLength(4);

    await http().delete(`/v1/posts/${created.id}`).set('Authorization', ada.auth).expect(204);
    await sut.settled();

    for (const url of urls) {
      await http().get(relative(url)).expect(404);
    }
  });

  it('should set, replace and remove an avatar, shown in every summary and profile', async () => {
    const me = () => http().get('/v1/me').set('Authorization', bob.auth).expect(200);
    const first = await upload(bob, await photoJpeg(800, 600));
    const second = await upload(bob, await photoJpeg(90, 120));

    const set = await http().patch('/v1/me').set('Authorization', bob.auth).send({ avatarUploadId: first }).expect(200);
    const retried = await http().patch('/v1/me').set('Authorization', bob.auth).send({ avatarUploadId: first });
    const variants = (set.body as { avatarVariants: Variant[] }).avatarVariants;
    expect(variants.map((v) => [v.width, v.height])).toEqual([
      [64, 64],
      [160, 160],
      [320, 320],
    ]);
    expect(set.body.avatarUrl).toBe(variants[1].url);
    expect(retried.status).toBe(200);
    expect(retried.body.avatarVariants).toEqual(variants);
    for (const variant of variants) {
      const meta = await sharp(await fetchImage(variant.url)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', variant.width, variant.height]);
    }
    const bobsPost = (await post(bob, { uploadId: await upload(bob, tinyJpeg()) }).expect(201)).body as Post;
    expect(bobsPost.author.avatarUrl).toBe(variants[1].url);
    await http().put(`/v1/users/${bob.id}/follow`).set('Authorization', ada.auth).expect(200);
    const followers = await http().get(`/v1/users/${bob.id}/followers`).set('Authorization', ada.auth).expect(200);
    const following = await http().get(`/v1/users/${ada.id}/following`).set('Authorization', ada.auth).expect(200);
    expect(following.body.items).toEqual([expect.objectContaining({ id: bob.id, avatarUrl: variants[1].url })]);
    expect(followers.body.items).toHaveLength(1);
    // The avatar's upload is used up: it can make no post.
    expectProblem(await post(bob, { uploadId: first }), 404, 'upload_not_found');

    const replaced = await http()
      .patch('/v1/me')
      .set('Authorization', bob.auth)
      .send({ avatarUploadId: second, bio: 'new face' })
      .expect(200);
    const small = (replaced.body as { avatarVariants: Variant[] }).avatarVariants;
    expect(small.map((v) => [v.width, v.height])).toEqual([
      [64, 64],
      [90, 90],
    ]);
    expect(replaced.body).toMatchObject({ bio: 'new face', avatarUrl: small[1].url });
    for (const variant of variants) {
      await http().get(relative(variant.url)).expect(404);
    }

    const removed = await http().patch('/v1/me').set('Authorization', bob.auth).send({ avatarUploadId: null });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ avatarUrl: null, avatarVariants: [], bio: 'new face' });
    for (const variant of small) {
      await http().get(relative(variant.url)).expect(404);
    }
    expect((await me()).body).toMatchObject({ avatarUrl: null, avatarVariants: [] });
  });

  it('should answer concurrent identical avatar changes alike, and let one of an avatar and a post take an upload', async () => {
    const cat = await signIn(sut.app, 'cat@example.com');
    const same = await upload(cat, await photoJpeg(400, 400));
    const patch = (body: object) => http().patch('/v1/me').set('Authorization', cat.auth).send(body);

    const answers = await Promise.all(Array.from({ length: 5 }, () => patch({ avatarUploadId: same })));

    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    const variants = (answers[0].body as { avatarVariants: Variant[] }).avatarVariants;
    for (const res of answers) {
      expect(res.body.avatarVariants).toEqual(variants);
    }
    for (const variant of variants) {
      await http().get(relative(variant.url)).expect(200);
    }

    const contested = await upload(cat, await photoJpeg(300, 300));
    const [asAvatar, asPost] = await Promise.all([
      patch({ avatarUploadId: contested }),
      post(cat, { uploadId: contested }),
    ]);
    const statuses = [asAvatar.status, asPost.status].sort();
    expect([
      [200, 404],
      [200, 409],
      [201, 409],
      [201, 404],
    ]).toContainEqual(statuses);
    expect(statuses.filter((status) => status < 300)).toHaveLength(1);
  });

  it('should refuse an avatar from a bad, foreign, unknown or published upload, changing nothing', async () => {
    const published = await upload(ada, tinyJpeg());
    await post(ada, { uploadId: published }).expect(201);
    const before = (await http().get('/v1/me').set('Authorization', ada.auth).expect(200)).body as object;
    const patch = (body: object) => http().patch('/v1/me').set('Authorization', ada.auth).send(body);

    expectProblem(
      await patch({ avatarUploadId: await upload(ada, Buffer.from('GIF89a not a jpeg')), bio: 'x' }),
      400,
      'invalid_image',
    );
    expectProblem(await patch({ avatarUploadId: await upload(bob, tinyJpeg()) }), 403, 'not_upload_owner');
    expectProblem(await patch({ avatarUploadId: 'f'.repeat(32) }), 404, 'upload_not_found');
    expectProblem(await patch({ avatarUploadId: published }), 409, 'upload_used');
    expect(fieldMessages(await patch({ avatarUploadId: 12 }))).toEqual([
      'avatarUploadId must be an upload id from POST /v1/uploads, or null',
    ]);

    expect((await http().get('/v1/me').set('Authorization', ada.auth).expect(200)).body).toEqual(before);
  });

  it('should take AVIF and WebP uploads as declared and refuse another type at the upload', async () => {
    const base = sharp(await photoJpeg(120, 90));
    for (const [type, bytes] of [
      ['image/avif', await base.clone().avif().toBuffer()],
      ['image/webp', await base.clone().webp().toBuffer()],
    ] as const) {
      const res = await post(ada, { uploadId: await upload(ada, bytes, type) }).expect(201);
      expect((res.body as Post).media[0]).toMatchObject({ width: 120, height: 90 });
    }
    const gif = await http()
      .post('/v1/uploads')
      .set('Authorization', ada.auth)
      .send({ contentType: 'image/gif', contentLength: 10 });
    expect(fieldMessages(gif)).toEqual(['contentType must be one of image/jpeg, image/png, image/webp, image/avif']);
  });
});
