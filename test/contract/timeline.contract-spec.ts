import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import { publishPost } from '../support/posts.js';
import { contractAdapters } from './store-adapters.js';
import { countedSuite } from './store-contract.js';

type Page = { items: { id: string; author: { id: string } }[]; nextCursor: string | null };

/** The whole app over HTTP on the in-memory embedded store, and on the emulator when the run started one. */
describe.each(contractAdapters())('timeline (e2e) on $name', (adapter) => {
  const test = countedSuite(adapter);
  let sut: TestApp;
  let dataDir: string;
  let me: SignedIn;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'picfeed-timeline-'));
    sut = await startTestApp({ ...adapter.appEnv(dataDir), FOLLOWER_BATCH_SIZE: '3', LOG_LEVEL: 'warn' });
    me = await signIn(sut.app, 'me@example.com');
  });

  afterEach(async () => {
    await sut.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const http = () => request(sut.app.getHttpServer());

  const follow = (who: SignedIn, whom: SignedIn) =>
    http().put(`/v1/users/${whom.id}/follow`).set('Authorization', who.auth).expect(200);

  /** Reads the whole timeline, page by page, once the fan-outs and backfills enqueued so far have run. */
  async function walk(user: SignedIn, limit: number, between?: () => Promise<void>): Promise<string[]> {
    await sut.settled();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Page } = await http()
        .get('/v1/timeline')
        .query({ limit, ...(cursor ? { cursor } : {}) })
        .set('Authorization', user.auth)
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...res.body.items.map((post) => post.id));
      cursor = res.body.nextCursor;
      await between?.();
    } while (cursor);
    return seen;
  }

  const users = (names: string[]) => Promise.all(names.map((name) => signIn(sut.app, `${name}@example.com`)));

  test('should walk the posts of three followees and mine newest first, each once, 7 at a time', async () => {
    const followees = await users(['ann', 'ben', 'cat']);
    for (const followee of followees) {
      await follow(me, followee);
    }
    const published: string[] = [];
    for (let round = 0; round < 5; round++) {
      for (const author of [...followees, me]) {
        published.push((await publishPost(sut.app, author, `round ${round}`)).id);
      }
    }
    const stranger = (await users(['zed']))[0];
    await publishPost(sut.app, stranger);

    const seen = await walk(me, 7);

    expect(seen).toEqual([...published].reverse());
  }, 120_000);

  test('should keep a walk free of posts that arrive during it, and show them on the next fresh read', async () => {
    const [ann] = await users(['ann']);
    await follow(me, ann);
    const before: string[] = [];
    for (let i = 0; i < 6; i++) {
      before.push((await publishPost(sut.app, ann)).id);
    }
    const arrived: string[] = [];

    const seen = await walk(me, 2, async () => {
      arrived.push((await publishPost(sut.app, ann)).id);
    });

    expect(seen).toEqual([...before].reverse());
    const fresh = await walk(me, 50);
    expect(fresh.slice(0, arrived.length)).toEqual([...arrived].reverse());
  }, 120_000);

  test('should backfill the latest posts of someone I follow, and drop them when I unfollow', async () => {
    const [ann] = await users(['ann']);
    const earlier: string[] = [];
    for (let i = 0; i < 3; i++) {
      earlier.push((await publishPost(sut.app, ann)).id);
    }

    await follow(me, ann);
    expect(await walk(me, 10)).toEqual([...earlier].reverse());

    await http().delete(`/v1/users/${ann.id}/follow`).set('Authorization', me.auth).expect(200);
    expect(await walk(me, 10)).toEqual([]);
  }, 120_000);

  test('should take a deleted post out of every timeline', async () => {
    const [ann, ben] = await users(['ann', 'ben']);
    await Promise.all([follow(me, ann), follow(ben, ann)]);
    const kept = await publishPost(sut.app, ann);
    const deleted = await publishPost(sut.app, ann);

    await http().delete(`/v1/posts/${deleted.id}`).set('Authorization', ann.auth).expect(204);

    expect(await walk(me, 10)).toEqual([kept.id]);
    expect(await walk(ben, 10)).toEqual([kept.id]);
    expect(await walk(ann, 10)).toEqual([kept.id]);
  }, 120_000);

  test('should serve a page of 50 from 100 followees in 2 store round trips (the bound is 3)', async () => {
    const followees = await Promise.all(
      Array.from({ length: 100 }, (_, i) => signIn(sut.app, `author${i}@example.com`)),
    );
    for (const followee of followees) {
      await follow(me, followee);
    }
    for (const followee of followees) {
      await publishPost(sut.app, followee);
    }

    const res = await http().get('/v1/timeline').query({ limit: 50 }).set('Authorization', me.auth).expect(200);

    // The page's one lookup is over Datastore's 1,000 keys at 50 posts: it goes out as two pieces at once.
    const [, calls, waves = calls] = /store;desc="(\d+) calls(?:, (\d+) in sequence)?"/.exec(
      String(res.headers['server-timing']),
    ) ?? [undefined, undefined];
    const page = res.body as Page;
    console.log(
      `timeline on ${adapter.name}: a page of ${page.items.length} from 100 followees took ${calls} store calls, ${waves} in sequence`,
    );
    expect(page.items).toHaveLength(50);
    expect(new Set(page.items.map((post) => post.author.id)).size).toBe(50);
    expect(Number(waves)).toBe(2);
    expect(Number(calls)).toBeLessThanOrEqual(3);
  }, 300_000);
});
