import type { StoredMedia } from '../../src/keys/media.keys.js';
import { type NewPost, PostsRepository, type UploadRecord } from '../../src/repositories/posts.repository.js';
import { lookupAll } from '../../src/store/lookup-plan.js';
import { ReceiversRepository } from '../../src/repositories/receivers.repository.js';
import { clockPast } from '../support/wait-for.js';
import { contractAdapters } from './store-adapters.js';
import { contractSuite } from './store-contract.js';

const upload = (id: string, owner: string): UploadRecord => ({
  id,
  owner,
  objectName: `uploads/${owner}/${id}`,
  contentType: 'image/jpeg',
  contentLength: 100,
  createdAt: new Date(),
  expiresAt: new Date(Date.now() + 60_000),
  postId: null,
});

const media = (owner: string, uploadId: string, altText: string | null = null): StoredMedia => ({
  uploadId,
  blurhash: 'L00000fQfQfQfQfQfQfQfQfQfQfQ',
  altText,
  variants: [{ width: 8, height: 8, objectName: `media/${owner}/${uploadId}-w320` }],
});

/** A post of these uploads of `owner`. */
const made = (owner: string, caption: string, ...uploadIds: string[]): [string[], NewPost] => [
  uploadIds,
  { author: owner, caption, media: uploadIds.map((id) => media(owner, id)) },
];

/** Posts and their receivers on every adapter: one post per upload, newest-first lists, fan-out within limits. */
describe.each(contractAdapters())('PostsRepository and ReceiversRepository on $name', (adapter) => {
  const { test, store } = contractSuite(adapter);
  let posts: PostsRepository;
  let receivers: ReceiversRepository;

  beforeEach(() => {
    posts = new PostsRepository(store());
    receivers = new ReceiversRepository(store());
  });

  async function postCount(author: string): Promise<number> {
    const [counts] = await lookupAll(store(), [posts.postCountsLookup([author])]);
    return counts.get(author) ?? 0;
  }

  test('should make exactly one post from one upload however many publish at once', async () => {
    await posts.createUpload(upload('up1', 'ada'));

    const results = await Promise.all(Array.from({ length: 10 }, () => posts.publish(...made('ada', 'hi', 'up1'))));

    expect(new Set(results.map((result) => result.post.id)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect((await posts.byAuthor('ada', 10)).posts).toHaveLength(1);
    expect(await postCount('ada')).toBe(1);
    expect((await posts.findUpload('up1'))?.postId).toBe(results[0].post.id);
  }, 60_000);

  test('should make one album post from its uploads in order however many publish at once, and no other', async () => {
    for (const id of ['a1', 'a2', 'a3', 'b1']) {
      await posts.createUpload(upload(id, 'ada'));
    }

    const results = await Promise.all(
      Array.from({ length: 10 }, () => posts.publish(...made('ada', 'album', 'a3', 'a1', 'a2'))),
    );

    const { post } = results[0];
    expect(new Set(results.map((result) => result.post.id))).toEqual(new Set([post.id]));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect((await posts.find(post.id))?.media.map((item) => item.uploadId)).toEqual(['a3', 'a1', 'a2']);
    expect(await postCount('ada')).toBe(1);
    // The same uploads in another order, or with another one, are another post: refused, nothing made.
    await expect(posts.publish(...made('ada', '', 'a1', 'a2', 'a3'))).rejects.toMatchObject({ code: 'upload_used' });
    await expect(posts.publish(...made('ada', '', 'b1', 'a1'))).rejects.toMatchObject({ code: 'upload_used' });
    await expect(posts.publishedFrom([(await posts.findUpload('a2'))!])).rejects.toMatchObject({
      code: 'upload_used',
    });
    expect((await posts.findUpload('b1'))?.postId).toBeNull();
    expect(await postCount('ada')).toBe(1);

    const removed = await posts.remove(post.id, 'ada');
    expect(removed.uploads.map((item) => item.id).sort()).toEqual(['a1', 'a2', 'a3']);
    expect(await posts.findUploads(['a1', 'a2', 'a3', 'b1'])).toEqual(new Map([['b1', expect.anything()]]));
  }, 60_000);

  test('should let exactly one of an avatar change and a publish take an upload racing for it', async () => {
    for (let i = 0; i < 5; i++) {
      await posts.createUpload(upload(`race${i}`, 'ada'));
    }

    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, i) => [
        store()
          .runInTransaction((tx) => posts.takeUpload(tx, `race${i}`, 'ada'))
          .then(
            () => 'avatar',
            (error: { code?: string }) => error.code,
          ),
        posts.publish(...made('ada', '', `race${i}`)).then(
          () => 'post',
          (error: { code?: string }) => error.code,
        ),
      ]).flat(),
    );

    for (let i = 0; i < 5; i++) {
      const [avatar, post] = outcomes.slice(i * 2, i * 2 + 2);
      expect([avatar, post]).toEqual(avatar === 'avatar' ? ['avatar', 'upload_not_found'] : ['upload_used', 'post']);
    }
    expect(await postCount('ada')).toBe(outcomes.filter((outcome) => outcome === 'post').length);
    await expect(store().runInTransaction((tx) => posts.takeUpload(tx, 'race0', 'bob'))).rejects.toMatchObject({
      code: expect.stringMatching(/^(not_upload_owner|upload_not_found)$/) as string,
    });
  }, 60_000);

  test('should refuse to publish or take an upload in the last hour before its sweep', async () => {
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000);
    await posts.createUpload({ ...upload('late', 'ada'), createdAt: hoursAgo(23.5) });
    await posts.createUpload({ ...upload('lateAvatar', 'ada'), createdAt: hoursAgo(23.5) });
    await posts.createUpload({ ...upload('inTime', 'ada'), createdAt: hoursAgo(22.5) });

    await expect(posts.publish(...made('ada', '', 'late'))).rejects.toMatchObject({ code: 'upload_expired' });
    await expect(store().runInTransaction((tx) => posts.takeUpload(tx, 'lateAvatar', 'ada'))).rejects.toMatchObject({
      code: 'upload_expired',
    });
    await expect(posts.publish(...made('ada', '', 'inTime'))).resolves.toMatchObject({ created: true });
    expect(await postCount('ada')).toBe(1);
  }, 60_000);

  test('should read a post stored before images were processed as one unprocessed image', async () => {
    const key = { kind: 'Post', name: 'a0-0000000000001-0000abcd' };
    await store().upsert([
      {
        key,
        data: {
          author: 'ada',
          caption: 'old',
          objectName: 'media/ada/legacy',
          contentType: 'image/jpeg',
          createdAt: new Date(),
          uploadId: 'legacy',
        },
      },
    ]);

    expect(await posts.find(key.name)).toMatchObject({
      media: [],
      legacyObjectName: 'media/ada/legacy',
      uploadIds: ['legacy'],
    });
  }, 60_000);

  test("should page an author's posts newest first", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      await posts.createUpload(upload(`up${i}`, 'ada'));
      const { post } = await posts.publish(...made('ada', `post ${i}`, `up${i}`));
      ids.unshift(post.id);
      await clockPast(post.createdAt.getTime()); // newest first is by millisecond
    }
    await posts.createUpload(upload('other', 'bob'));
    await posts.publish(...made('bob', 'not ada', 'other'));

    const first = await posts.byAuthor('ada', 3);
    const second = await posts.byAuthor('ada', 3, first.cursor);

    expect([...first.posts, ...second.posts].map((post) => post.id)).toEqual(ids);
    expect(second.cursor).toBeUndefined();
    expect(await postCount('ada')).toBe(5);
  }, 60_000);

  test('should delete only as the author and count the post out', async () => {
    await posts.createUpload(upload('up1', 'ada'));
    const { post } = await posts.publish(...made('ada', '', 'up1'));

    await expect(posts.remove(post.id, 'bob')).rejects.toThrow();
    await posts.remove(post.id, 'ada');

    expect(await posts.find(post.id)).toBeUndefined();
    expect(await postCount('ada')).toBe(0);
    await expect(posts.remove(post.id, 'ada')).rejects.toThrow();
  }, 60_000);

  test('should find and remove only expired unpublished uploads, oldest first', async () => {
    const dayAgo = (hours: number) => new Date(Date.now() - hours * 3600_000);
    await posts.createUpload({ ...upload('old1', 'ada'), createdAt: dayAgo(30) });
    await posts.createUpload({ ...upload('old2', 'ada'), createdAt: dayAgo(26) });
    // Published while still usable; three hours later it would be expired had it not been.
    await posts.createUpload({ ...upload('oldPublished', 'ada'), createdAt: dayAgo(22) });
    await posts.createUpload({ ...upload('fresh', 'ada'), createdAt: dayAgo(1) });
    await posts.publish(...made('ada', '', 'oldPublished'));
    const now = new Date(Date.now() + 3 * 3600_000);

    const expired = await posts.expiredUploads(now, 10);
    const removed = await posts.removeExpiredUploads([...expired.map((item) => item.id), 'fresh'], now);

    expect(expired.map((item) => item.id)).toEqual(['old1', 'old2']);
    expect(removed).toBe(2);
    expect(await posts.findUpload('old1')).toBeUndefined();
    expect(await posts.findUpload('fresh')).toBeDefined();
    expect((await posts.findUpload('oldPublished'))?.postId).toEqual(expect.any(String));
    expect(await posts.expiredUploads(now, 10)).toEqual([]);
  }, 60_000);

  test('should fan out big batches in several commits, deterministically, and find them in timelines', async () => {
    const post = { id: 'a0-0000000000001-00000001', author: 'ada', createdAt: new Date() };
    const batch = (n: number) => ({
      name: `ada:${n}:0`,
      members: Array.from({ length: 5000 }, (_, i) => `reader-${n}-${i}-${'x'.repeat(90)}`),
    });
    const groups = Array.from({ length: 20 }, (_, n) => batch(n));

    await receivers.deliverToAuthor(post);
    expect(await receivers.fanOut(post, groups)).toBe(20);
    await receivers.fanOut(post, groups);

    expect(await receivers.countFor(post.id)).toBe(21);
    expect((await receivers.page('ada', 10)).posts).toEqual([{ id: post.id, author: 'ada' }]);
    const page = await receivers.page(`reader-7-4999-${'x'.repeat(90)}`, 10);
    expect(page.posts).toEqual([{ id: post.id, author: 'ada' }]);
    await receivers.removeFor(post.id);
    expect(await receivers.countFor(post.id)).toBe(0);
  }, 120_000);

  test('should list a post once when two of its receivers name the same reader, across pages too', async () => {
    const older = { id: 'a0-0000000000003-00000001', author: 'bob', createdAt: new Date(Date.now() - 1000) };
    const newer = { id: 'a0-0000000000002-00000001', author: 'bob', createdAt: new Date() };
    for (const post of [older, newer]) {
      await receivers.fanOut(post, [{ name: 'bob:0:0', members: ['me'] }]);
    }
    await receivers.backfill('me', [older, newer]);

    const seen: string[] = [];
    let cursor: string | undefined;
    let last: string | undefined;
    do {
      const page = await receivers.page('me', 1, cursor, last);
      seen.push(...page.posts.map((post) => post.id));
      ({ cursor, last } = page);
    } while (cursor);

    expect(seen).toEqual([newer.id, older.id]);
  }, 60_000);
});
