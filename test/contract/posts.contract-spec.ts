import { PostsRepository, type UploadRecord } from '../../src/repositories/posts.repository.js';
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

    const results = await Promise.all(Array.from({ length: 10 }, () => posts.publish('up1', 'hi', 'media/ada/up1')));

    expect(new Set(results.map((result) => result.post.id)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect((await posts.byAuthor('ada', 10)).posts).toHaveLength(1);
    expect(await postCount('ada')).toBe(1);
    expect((await posts.findUpload('up1'))?.postId).toBe(results[0].post.id);
  }, 60_000);

  test("should page an author's posts newest first", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      await posts.createUpload(upload(`up${i}`, 'ada'));
      const { post } = await posts.publish(`up${i}`, `post ${i}`, `media/ada/up${i}`);
      ids.unshift(post.id);
      await clockPast(post.createdAt.getTime()); // newest first is by millisecond
    }
    await posts.createUpload(upload('other', 'bob'));
    await posts.publish('other', 'not ada', 'media/bob/other');

    const first = await posts.byAuthor('ada', 3);
    const second = await posts.byAuthor('ada', 3, first.cursor);

    expect([...first.posts, ...second.posts].map((post) => post.id)).toEqual(ids);
    expect(second.cursor).toBeUndefined();
    expect(await postCount('ada')).toBe(5);
  }, 60_000);

  test('should delete only as the author and count the post out', async () => {
    await posts.createUpload(upload('up1', 'ada'));
    const { post } = await posts.publish('up1', '', 'media/ada/up1');

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
    await posts.createUpload({ ...upload('oldPublished', 'ada'), createdAt: dayAgo(28) });
    await posts.createUpload({ ...upload('fresh', 'ada'), createdAt: dayAgo(1) });
    await posts.publish('oldPublished', '', 'media/ada/oldPublished');
    const now = new Date();

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

    expect(await receivers.fanOut(post, groups)).toBe(21);
    await receivers.fanOut(post, groups);

    expect(await receivers.countFor(post.id)).toBe(21);
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
