import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import { publishPost } from '../support/posts.js';
import { contractAdapters } from './store-adapters.js';
import { countedSuite } from './store-contract.js';

interface Item {
  id: string;
  type: string;
  actors: { id: string; username: string }[];
  actorCount: number;
  post: { id: string; thumbnailUrl: string | null } | null;
  comment: { id: string; text: string } | null;
  read: boolean;
}

/** Notifications over HTTP on every store: grouped counts exact under concurrency, and who is told what. */
describe.each(contractAdapters())('notifications (e2e) on $name', (adapter) => {
  const test = countedSuite(adapter);
  let sut: TestApp;
  let dataDir: string;
  let ada: SignedIn;
  let bob: SignedIn;
  let postId: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'picfeed-notifications-'));
    sut = await startTestApp({ ...adapter.appEnv(dataDir), LIKER_BATCH_SIZE: '16', LOG_LEVEL: 'warn' });
    [ada, bob] = await Promise.all([signIn(sut.app, 'ada@example.com'), signIn(sut.app, 'bob@example.com')]);
    ({ id: postId } = await publishPost(sut.app, ada));
  });

  afterEach(async () => {
    await sut.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const http = () => request(sut.app.getHttpServer());
  const users = (prefix: string, count: number) =>
    Promise.all(Array.from({ length: count }, (_, i) => signIn(sut.app, `${prefix}${i}@example.com`)));

  async function notifications(user: SignedIn, limit = 4): Promise<Item[]> {
    await sut.settled();
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Item[]; nextCursor: string | null } } = await http()
        .get('/v1/notifications')
        .query({ limit, ...(cursor ? { cursor } : {}) })
        .set('Authorization', user.auth)
        .expect(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }

  const unread = async (user: SignedIn) =>
    (await http().get('/v1/notifications/unread-count').set('Authorization', user.auth).expect(200)).body as {
      count: number;
    };

  const like = (who: SignedIn, id = postId) => http().put(`/v1/posts/${id}/like`).set('Authorization', who.auth);
  const comment = (who: SignedIn, text: string, replyTo?: string) =>
    http()
      .post(`/v1/posts/${postId}/comments`)
      .set('Authorization', who.auth)
      .send({ text, ...(replyTo ? { replyTo } : {}) })
      .expect(201)
      .then((res) => res.body as { id: string });

  test('should group 200 concurrent likes into one unread item of 200, and count 150 after 50 unlikes', async () => {
    const fans = await users('fan', 200);

    const answers = await Promise.all(fans.map((fan) => like(fan)));
    await like(ada).expect(200);

    expect(answers.map((res) => res.status)).toEqual(Array(200).fill(200));
    const [item, ...rest] = await notifications(ada);
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ type: 'like', actorCount: 200, read: false, post: { id: postId } });
    expect(item.actors).toHaveLength(3);
    expect(await unread(ada)).toEqual({ count: 1, more: false });

    const leaving = fans.slice(0, 50);
    await Promise.all(leaving.map((fan) => http().delete(`/v1/posts/${postId}/like`).set('Authorization', fan.auth)));

    const [after, ...others] = await notifications(ada);
    expect(others).toEqual([]);
    expect(after).toMatchObject({ id: item.id, actorCount: 150 });
    expect(after.actors.length).toBeGreaterThan(0);
    const left = new Set(leaving.map((fan) => fan.id));
    expect(after.actors.filter((actor) => left.has(actor.id))).toEqual([]);
  }, 300_000);

  test('should start a second item for a like after the first was read, and take an emptied group away', async () => {
    const [cat] = await users('cat', 1);
    await like(bob).expect(200);
    expect(await unread(ada)).toEqual({ count: 1, more: false });

    await http().post('/v1/notifications/read').set('Authorization', ada.auth).send({}).expect(204);
    expect(await unread(ada)).toEqual({ count: 0, more: false });
    await like(cat).expect(200);

    const items = await notifications(ada);
    expect(
      items.map(({ actorCount, read, actors }) => ({ actorCount, read, actors: actors.map((a) => a.id) })),
    ).toEqual([
      { actorCount: 1, read: false, actors: [cat.id] },
      { actorCount: 1, read: true, actors: [bob.id] },
    ]);
    expect(await unread(ada)).toEqual({ count: 1, more: false });

    await http().delete(`/v1/posts/${postId}/like`).set('Authorization', bob.auth).expect(200);
    expect((await notifications(ada)).map((item) => item.actors[0].id)).toEqual([cat.id]);
  }, 120_000);

  test('should tell a reply to the parent’s and the post’s authors once each, and a mention only if the user exists', async () => {
    const [cat] = await users('cat', 1);
    const parent = await comment(bob, 'first!');
    const reply = await comment(cat, 'hi @bob and @ada and @nobody_here', parent.id);
    await comment(ada, 'my own post, @bob');

    const adas = await notifications(ada);
    expect(adas.map((item) => [item.type, item.actors[0].id, item.comment?.id])).toEqual([
      ['comment', cat.id, reply.id],
      ['comment', bob.id, parent.id],
    ]);
    const bobs = await notifications(bob);
    expect(bobs.map((item) => [item.type, item.actors[0].id])).toEqual([
      ['mention', ada.id],
      ['reply', cat.id],
    ]);
    expect(await notifications(cat)).toEqual([]);

    await http().delete(`/v1/comments/${reply.id}`).set('Authorization', cat.auth).expect(204);
    await sut.settled();
    expect((await notifications(bob)).map((item) => item.type)).toEqual(['mention']);
    expect((await notifications(ada)).map((item) => item.comment?.id)).toEqual([parent.id]);
    expect(await unread(bob)).toEqual({ count: 1, more: false });

    await http().delete(`/v1/comments/${parent.id}`).set('Authorization', bob.auth).expect(204);
    await sut.settled();
    expect(await notifications(ada)).toEqual([]);
    expect(await unread(ada)).toEqual({ count: 0, more: false });
  }, 120_000);

  test('should tell a caption’s mentions, group follows and comment likes, and answer follow requests', async () => {
    const [cat, dan] = await Promise.all([signIn(sut.app, 'carl@example.com'), signIn(sut.app, 'dora@example.com')]);
    const { id: captioned } = await publishPost(sut.app, bob, 'with @ada and @carl and @ghost_user');
    await Promise.all(
      [ada, cat, dan].map((who) => http().put(`/v1/users/${bob.id}/follow`).set('Authorization', who.auth)),
    );
    const mine = await comment(bob, 'nice');
    await Promise.all(
      [cat, dan].map((who) => http().put(`/v1/comments/${mine.id}/like`).set('Authorization', who.auth)),
    );
    await http().delete(`/v1/users/${bob.id}/follow`).set('Authorization', dan.auth).expect(200);

    expect((await notifications(ada)).map((item) => [item.type, item.post?.id])).toEqual([
      ['comment', postId],
      ['mention', captioned],
    ]);
    // Follows that arrive at once may be counted in rows of different slots: a page that holds them all shows them all.
    const bobs = await notifications(bob, 20);
    expect(bobs.map((item) => [item.type, item.actorCount])).toEqual([
      ['comment_like', 2],
      ['follow', 2],
    ]);
    expect(bobs[1].actors.map((actor) => actor.id).sort()).toEqual([ada.id, cat.id].sort());

    await http().patch('/v1/me').set('Authorization', cat.auth).send({ private: true }).expect(200);
    await http().put(`/v1/users/${cat.id}/follow`).set('Authorization', dan.auth).expect(200);
    expect((await notifications(cat)).map((item) => item.type)).toEqual(['follow_request', 'mention']);
    await http().put(`/v1/me/follow-requests/${dan.id}`).set('Authorization', cat.auth).expect(200);
    expect((await notifications(cat)).map((item) => item.type)).toEqual(['mention']);
    expect((await notifications(dan)).map((item) => [item.type, item.actors[0].id])).toEqual([
      ['follow_accepted', cat.id],
    ]);
  }, 120_000);

  test('should tell nothing of blocked users, and take what they did away when blocked', async () => {
    await like(bob).expect(200);
    await comment(bob, 'hello');
    await http().put(`/v1/users/${bob.id}/block`).set('Authorization', ada.auth).expect(200);
    await sut.settled();

    expect(await notifications(ada)).toEqual([]);
    // Bob's like stays (and is never shown): marking read up to what the page covered clears the count.
    const page = await http().get('/v1/notifications').set('Authorization', ada.auth).expect(200);
    expect(page.body).toMatchObject({ items: [], nextCursor: null });
    expect(await unread(ada)).toEqual({ count: 1, more: false });
    await http()
      .post('/v1/notifications/read')
      .set('Authorization', ada.auth)
      .send({ until: (page.body as { newestAt: string }).newestAt })
      .expect(204);
    expect(await unread(ada)).toEqual({ count: 0, more: false });

    await publishPost(sut.app, ada, 'hey @bob');
    await comment(ada, 'and @bob here');
    expect(await notifications(bob)).toEqual([]);
  }, 120_000);

  test('should answer the unread count with an ETag, 304 while unchanged, and refuse bad input', async () => {
    const first = await http().get('/v1/notifications/unread-count').set('Authorization', ada.auth).expect(200);
    expect(first.body).toEqual({ count: 0, more: false });
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const etag = first.headers.etag;
    expect(etag).toBeTruthy();
    await http()
      .get('/v1/notifications/unread-count')
      .set('Authorization', ada.auth)
      .set('If-None-Match', etag)
      .expect(304);

    await like(bob).expect(200);
    const changed = await http()
      .get('/v1/notifications/unread-count')
      .set('Authorization', ada.auth)
      .set('If-None-Match', etag)
      .expect(200);
    expect(changed.body).toEqual({ count: 1, more: false });

    for (const until of ['yesterday', 42, null, '2026-13-01T00:00:00Z', '2026-W05-3', '20261201T1000Z', '2026-12-01']) {
      await http().post('/v1/notifications/read').set('Authorization', ada.auth).send({ until }).expect(400);
    }
    await http().post('/v1/notifications/read').set('Authorization', ada.auth).send({ extra: 1 }).expect(400);
    await http().get('/v1/notifications').query({ cursor: 'bogus' }).set('Authorization', ada.auth).expect(400);
    await http().get('/v1/notifications').set('Authorization', 'Bearer nope').expect(401);
    // Reading up to a time before the like leaves it unread.
    await http()
      .post('/v1/notifications/read')
      .set('Authorization', ada.auth)
      .send({ until: '2020-01-01T00:00:00Z' })
      .expect(204);
    expect(await unread(ada)).toEqual({ count: 1, more: false });
  }, 120_000);
});
