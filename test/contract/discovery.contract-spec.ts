import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { userSearchTerms } from '../../src/common/search-text.js';
import { SEARCH_INDEX_VERSION } from '../../src/discovery/search-indexer.js';
import { userKey, userTermKey } from '../../src/keys/user.keys.js';
import { UsersRepository } from '../../src/repositories/users.repository.js';
import { Store } from '../../src/store/store.js';
import { CronJobs } from '../../src/tasks/cron-jobs.js';
import { signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import { publishPost } from '../support/posts.js';
import { waitFor } from '../support/wait-for.js';
import { contractAdapters } from './store-adapters.js';
import { countedSuite } from './store-contract.js';

type Named = { id: string; username: string };

/** Search, hashtags, explore and suggestions over HTTP on every store. */
describe.each(contractAdapters())('discovery (e2e) on $name', (adapter) => {
  const test = countedSuite(adapter);
  let sut: TestApp;
  let dataDir: string;
  let me: SignedIn;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'picfeed-discovery-'));
    sut = await startTestApp({ ...adapter.appEnv(dataDir), LOG_LEVEL: 'warn', ADMIN_EMAILS: 'admin@example.com' });
    me = await signIn(sut.app, 'me@example.com', 'Me Myself');
  });

  afterEach(async () => {
    await sut.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const http = () => request(sut.app.getHttpServer());
  const get = async (path: string, who: SignedIn = me) =>
    (await http().get(path).set('Authorization', who.auth).expect(200)).body as { items: Named[] };
  const put = (who: SignedIn, path: string) => http().put(path).set('Authorization', who.auth).expect(200);
  const names = (page: { items: Named[] }) => page.items.map((item) => item.username);

  test('should find people by the start of a username or a name word, any case or accent, in order', async () => {
    const [jose, joseph, josie, eve, sus] = await Promise.all([
      signIn(sut.app, 'jose@example.com', 'José Ñúñez'),
      signIn(sut.app, 'joseph@example.com', 'Joseph King'),
      signIn(sut.app, 'zed@example.com', 'Josie Zed'),
      signIn(sut.app, 'eve@example.com', 'Jo Blocked'),
      signIn(sut.app, 'jos.sus@example.com', 'Jos Suspended'),
    ]);
    const admin = await signIn(sut.app, 'admin@example.com');
    // joseph has two followers, josie one; I follow josie; eve blocked me; sus is suspended.
    const fans = await Promise.all(['f1', 'f2'].map((name) => signIn(sut.app, `${name}@example.com`)));
    await Promise.all(fans.map((fan) => put(fan, `/v1/users/${joseph.id}/follow`)));
    await put(me, `/v1/users/${josie.id}/follow`);
    await put(eve, `/v1/users/${me.id}/block`);
    await put(admin, `/v1/admin/users/${sus.id}/suspension`);

    expect(names(await get('/v1/search/users?q=JOSE'))).toEqual(['jose', 'joseph']);
    expect(names(await get('/v1/search/users?q=jos'))).toEqual(['zed', 'joseph', 'jose']);
    expect(names(await get('/v1/search/users?q=%C3%B1u%C3%B1'))).toEqual(['jose']);
    expect(names(await get('/v1/search/users?q=nun'))).toEqual(['jose']);
    expect(names(await get('/v1/search/users?q=joseph%20ki'))).toEqual(['joseph']);
    expect(names(await get('/v1/search/users?q=jo&limit=2'))).toHaveLength(2);
    expect(names(await get('/v1/search/users?q=jo'))).not.toContain('eve');
    expect(names(await get('/v1/search/users?q=jo'))).not.toContain('jos.sus');
    expect(names(await get('/v1/search/users?q=xyz'))).toEqual([]);
    // An exact username comes first even when others are followed or more popular.
    expect(names(await get('/v1/search/users?q=jose'))[0]).toBe('jose');
    expect(jose.id).toBeDefined();
    // Renamed: found by the new name only.
    await http().patch('/v1/me').set('Authorization', jose.auth).send({ username: 'pepe' }).expect(200);
    expect(names(await get('/v1/search/users?q=pep'))).toEqual(['pepe']);
    expect(names(await get('/v1/search/users?q=jose'))).toEqual(['joseph', 'pepe']);
    // The same search a moment later reuses its candidates, never what may be seen: a suspension or a block made in
    // between shows at once.
    await put(admin, `/v1/admin/users/${joseph.id}/suspension`);
    expect(names(await get('/v1/search/users?q=jose'))).toEqual(['pepe']);
    await put(me, `/v1/users/${jose.id}/block`);
    expect(names(await get('/v1/search/users?q=jose'))).toEqual([]);

    // By followers: kaic 4 (a tier above), kaib 3 over kaia 2 (one tier, told apart by the exact counts).
    const [kaia, kaib, kaic] = await Promise.all(
      ['kaia', 'kaib', 'kaic'].map((n) => signIn(sut.app, `${n}@example.com`)),
    );
    const more = await Promise.all(['f3', 'f4'].map((name) => signIn(sut.app, `${name}@example.com`)));
    // One at a time: the ordering is the point here, each tier settled before the next follow.
    for (const [i, fan] of [...fans, ...more].entries()) {
      for (const kai of [kaia, kaib, kaic].slice(Math.max(0, i - 1))) {
        await put(fan, `/v1/users/${kai.id}/follow`);
      }
    }
    expect(names(await get('/v1/search/users?q=kai'))).toEqual(['kaic', 'kaib', 'kaia']);

    for (const q of ['', '%20%20', 'a'.repeat(31)]) {
      await http().get(`/v1/search/users?q=${q}`).set('Authorization', me.auth).expect(400);
    }
    await http().get('/v1/search/users').set('Authorization', me.auth).expect(400);
    // A reserved `__x__` name can be no username or term: nothing found, never a store error.
    expect(names(await get('/v1/search/users?q=__x__'))).toEqual([]);
    expect(names(await get('/v1/search/users?q=__x__%20jo'))).toEqual([]);
  }, 120_000);

  test('should give users stored before search their terms and tier in a walk of every user', async () => {
    const store = sut.app.get(Store);
    const olga = await signIn(sut.app, 'olga@example.com', 'Olga Ancien');
    const fans = await Promise.all(['g1', 'g2', 'g3'].map((name) => signIn(sut.app, `${name}@example.com`)));
    for (const fan of fans) {
      await put(fan, `/v1/users/${olga.id}/follow`);
    }
    // Olga as search found her stored: no tier and no terms (her follower count is kept).
    const [stored] = await store.get([userKey(olga.id)]);
    const { tier: _tier, ...old } = stored!.data;
    await store.upsert([{ ...stored!, data: old }]);
    await store.delete(userSearchTerms(String(old.username), 'Olga Ancien').map((term) => userTermKey(term, olga.id)));
    expect(names(await get('/v1/search/users?q=ancien'))).toEqual([]);

    await sut.app.get(CronJobs).run('search-index');
    await waitFor(async () => names(await get('/v1/search/users?q=ancien')).length > 0, {
      what: 'the walk to index Olga',
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    expect(names(await get('/v1/search/users?q=olg'))).toEqual([String(old.username)]);
    const [indexed] = await store.get([userKey(olga.id)]);
    expect(indexed!.data.tier).toBe(2);
    expect(await sut.app.get(UsersRepository).searchIndexDone(SEARCH_INDEX_VERSION)).toBe(true);
  }, 120_000);

  test('should count a tag’s posts exactly through edits and deletes, list them newest first, and keep private ones in', async () => {
    const [ann, pia] = await Promise.all([signIn(sut.app, 'ann@example.com'), signIn(sut.app, 'pia@example.com')]);
    const first = await publishPost(sut.app, ann, 'evening #Sunset #café');
    const second = await publishPost(sut.app, ann, 'again #sunset');
    await http().patch('/v1/me').set('Authorization', pia.auth).send({ private: true }).expect(200);
    const hidden = await publishPost(sut.app, pia, 'mine #sunset');
    const tag = async (name: string) =>
      (
        await http()
          .get(`/v1/tags/${encodeURIComponent(name)}`)
          .set('Authorization', me.auth)
          .expect(200)
      ).body as {
        postCount: number;
      };

    expect(await tag('SUNSET')).toEqual({ tag: 'sunset', postCount: 3 });
    expect(await tag('café')).toEqual({ tag: 'café', postCount: 1 });
    expect((await get('/v1/tags/sunset/posts')).items.map((post) => post.id)).toEqual([second.id, first.id]);
    await put(me, `/v1/users/${pia.id}/follow`);
    await http().put(`/v1/me/follow-requests/${me.id}`).set('Authorization', pia.auth).expect(200);
    expect((await get('/v1/tags/sunset/posts')).items.map((post) => post.id)).toEqual([hidden.id, second.id, first.id]);

    const tags = async (q: string) =>
      (
        (
          await http()
            .get(`/v1/search/tags?q=${encodeURIComponent(q)}`)
            .set('Authorization', me.auth)
            .expect(200)
        ).body as { items: { tag: string; postCount: number }[] }
      ).items;
    expect(await tags('#su')).toEqual([{ tag: 'sunset', postCount: 3 }]);
    expect(await tags('cafe')).toEqual([{ tag: 'café', postCount: 1 }]);

    await http()
      .patch(`/v1/posts/${first.id}`)
      .set('Authorization', ann.auth)
      .send({ caption: 'evening #dusk' })
      .expect(200);
    await http().delete(`/v1/posts/${second.id}`).set('Authorization', ann.auth).expect(204);
    expect(await tag('sunset')).toEqual({ tag: 'sunset', postCount: 1 });
    expect(await tag('café')).toEqual({ tag: 'café', postCount: 0 });
    expect(await tag('dusk')).toEqual({ tag: 'dusk', postCount: 1 });
    expect(await tags('caf')).toEqual([]);
    expect(await tag('nobody_used_it')).toEqual({ tag: 'nobody_used_it', postCount: 0 });
    for (const bad of ['a-b', '__x__', 'x'.repeat(101)]) {
      await http().get(`/v1/tags/${bad}`).set('Authorization', me.auth).expect(400);
    }
  }, 120_000);

  test('should list a post under its author’s comments’ hashtags, exactly once each, until they are deleted', async () => {
    const [ann, bob] = await Promise.all([signIn(sut.app, 'ann@example.com'), signIn(sut.app, 'bob@example.com')]);
    const post = await publishPost(sut.app, ann, 'lake #blue');
    const tag = async (name: string) =>
      ((await http().get(`/v1/tags/${name}`).set('Authorization', me.auth).expect(200)).body as { postCount: number })
        .postCount;
    const listed = async (name: string) => (await get(`/v1/tags/${name}/posts`)).items.map((item) => item.id);
    const comment = async (who: SignedIn, text: string, replyTo?: string) =>
      (
        await http()
          .post(`/v1/posts/${post.id}/comments`)
          .set('Authorization', who.auth)
          .send({ text, ...(replyTo ? { replyTo } : {}) })
          .expect(201)
      ).body as { id: string };

    // Someone else's hashtag is a link, never a listing: nobody can push a post into a tag.
    await comment(bob, 'nice #spam @__x__');
    expect(await tag('spam')).toBe(0);
    // The author's own comments count, at once and concurrently, each tag once however often it is used.
    const own = await Promise.all(
      Array.from({ length: 12 }, (_, i) => comment(ann, i % 2 ? `#Sunrise #blue ${i}` : `#sunrise ${i}`)),
    );
    expect(await tag('sunrise')).toBe(1);
    expect(await tag('blue')).toBe(1);
    expect(await listed('sunrise')).toEqual([post.id]);
    expect((await get('/v1/search/tags?q=sunr')).items).toEqual([{ tag: 'sunrise', postCount: 1 }]);

    // A caption edit that drops #blue keeps the post under it while a comment has it.
    await http().patch(`/v1/posts/${post.id}`).set('Authorization', ann.auth).send({ caption: 'lake' }).expect(200);
    expect(await tag('blue')).toBe(1);
    // Deleting every comment but one keeps the tag; deleting a top-level comment takes its author's replies' tags.
    const top = own[0];
    const reply = await comment(ann, 'and #dawn', top.id);
    expect(await tag('dawn')).toBe(1);
    for (const { id } of own.slice(1)) {
      await http().delete(`/v1/comments/${id}`).set('Authorization', ann.auth).expect(204);
    }
    expect(await tag('blue')).toBe(0);
    expect(await tag('sunrise')).toBe(1);
    await http().delete(`/v1/comments/${top.id}`).set('Authorization', ann.auth).expect(204);
    expect(await tag('sunrise')).toBe(0);
    expect(await tag('dawn')).toBe(0);
    expect(await listed('sunrise')).toEqual([]);
    await http().get(`/v1/comments/${reply.id}`).set('Authorization', ann.auth).expect(404);

    // A post deleted with tagged comments counts out of every tag it was listed under.
    await comment(ann, '#dusk');
    expect(await tag('dusk')).toBe(1);
    await http().delete(`/v1/posts/${post.id}`).set('Authorization', ann.auth).expect(204);
    expect(await tag('dusk')).toBe(0);

    // A post is listed under at most 60 tags (a commit moves that many counts): the caption's 30, then comments'.
    const many = (letter: string) => Array.from({ length: 30 }, (_, i) => `#${letter}${i}`).join(' ');
    const full = await publishPost(sut.app, ann, many('c'));
    for (const letter of ['d', 'e']) {
      await http()
        .post(`/v1/posts/${full.id}/comments`)
        .set('Authorization', ann.auth)
        .send({ text: many(letter) })
        .expect(201);
    }
    expect([await tag('c29'), await tag('d29'), await tag('e0')]).toEqual([1, 1, 0]);
    await http().delete(`/v1/posts/${full.id}`).set('Authorization', ann.auth).expect(204);
    expect([await tag('c29'), await tag('d29')]).toEqual([0, 0]);
  }, 120_000);

  test('should explore the day’s most liked public posts, then recent ones, each once across pages', async () => {
    const [ann, bob, cat, dan, pia] = await Promise.all(
      ['ann', 'bob', 'cat', 'dan', 'pia'].map((name) => signIn(sut.app, `${name}@example.com`)),
    );
    const fans = await Promise.all(['f1', 'f2', 'f3'].map((name) => signIn(sut.app, `${name}@example.com`)));
    const quiet = await publishPost(sut.app, ann, 'quiet');
    const liked = await publishPost(sut.app, bob, 'liked');
    const most = await publishPost(sut.app, cat, 'most liked');
    const followed = await publishPost(sut.app, dan, 'by someone I follow');
    await http().patch('/v1/me').set('Authorization', pia.auth).send({ private: true }).expect(200);
    const secret = await publishPost(sut.app, pia, 'private');
    const mine = await publishPost(sut.app, me, 'my own');
    await Promise.all([
      ...fans.map((fan) => put(fan, `/v1/posts/${most.id}/like`)),
      put(fans[0], `/v1/posts/${liked.id}/like`),
      ...fans.map((fan) => put(fan, `/v1/posts/${followed.id}/like`)),
    ]);
    await put(me, `/v1/users/${dan.id}/follow`);
    await sut.app.get(CronJobs).run('rank-explore');

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await http()
        .get('/v1/explore')
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .set('Authorization', me.auth)
        .expect(200);
      seen.push(...res.body.items.map((post) => post.id));
      cursor = res.body.nextCursor;
    } while (cursor);

    expect(seen).toEqual([most.id, liked.id, quiet.id]);
    expect(seen).not.toContain(secret.id);
    expect(seen).not.toContain(mine.id);
    // Muted and blocked authors leave it too.
    await put(me, `/v1/users/${cat.id}/mute`);
    await put(bob, `/v1/users/${me.id}/block`);
    expect((await get('/v1/explore?limit=10')).items.map((post) => post.id)).toEqual([]);
    const next = (await get('/v1/explore?limit=10')) as unknown as { nextCursor: string | null };
    expect(next.nextCursor).not.toBeNull();
    await http().get('/v1/explore').query({ cursor: 'bogus' }).set('Authorization', me.auth).expect(400);
  }, 120_000);

  test('should suggest people my follows follow, then popular ones, never me, my follows, blocked or suspended', async () => {
    const [bob, cat, dan, eve, star, sus] = await Promise.all(
      ['bob', 'cat', 'dan', 'eve', 'star', 'sus'].map((name) => signIn(sut.app, `${name}@example.com`)),
    );
    const admin = await signIn(sut.app, 'admin@example.com');
    const fans = await Promise.all(['f1', 'f2', 'f3', 'f4'].map((name) => signIn(sut.app, `${name}@example.com`)));
    await Promise.all(fans.map((fan) => put(fan, `/v1/users/${star.id}/follow`)));
    await put(me, `/v1/users/${bob.id}/follow`);
    await put(me, `/v1/users/${cat.id}/follow`);
    await Promise.all([
      put(bob, `/v1/users/${dan.id}/follow`),
      put(cat, `/v1/users/${dan.id}/follow`),
      put(bob, `/v1/users/${eve.id}/follow`),
      put(bob, `/v1/users/${sus.id}/follow`),
      put(bob, `/v1/users/${me.id}/follow`),
    ]);
    await put(admin, `/v1/admin/users/${sus.id}/suspension`);

    const suggested = names(await get('/v1/me/suggestions?limit=3'));
    expect(suggested).toEqual(['dan', 'eve', 'star']);
    await put(me, `/v1/users/${eve.id}/block`);
    const after = names(await get('/v1/me/suggestions?limit=50'));
    expect(after.slice(0, 2)).toEqual(['dan', 'star']);
    for (const never of ['me', 'bob', 'cat', 'eve', 'sus']) {
      expect(after).not.toContain(never);
    }
    await http().get('/v1/me/suggestions?limit=0').set('Authorization', me.auth).expect(400);
  }, 120_000);
});
