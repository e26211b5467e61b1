import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import { pool } from '../support/pool.js';
import { publishPost } from '../support/posts.js';
import { UNLIMITED_RATES } from '../support/server-process.js';
import { contractAdapters } from './store-adapters.js';
import { countedSuite } from './store-contract.js';

type Profile = {
  id: string;
  private: boolean;
  followerCount: number;
  followingCount: number;
  followedByMe: boolean;
  requestedByMe: boolean;
  followsMe: boolean;
  blockedByMe: boolean;
  mutedByMe: boolean;
};
type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * Private accounts, follow requests, blocks, mutes, reports and suspensions over HTTP: one test per rule, on the
 * embedded store on disk and on the emulator when the run started one.
 */
describe.each(contractAdapters())('relations (e2e) on $name', (adapter) => {
  const test = countedSuite(adapter);
  let sut: TestApp;
  let dataDir: string;
  let admin: SignedIn;
  let serial = 0;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'picfeed-relations-'));
    sut = await startTestApp({
      ...adapter.appEnv(dataDir),
      ...UNLIMITED_RATES,
      LOG_LEVEL: 'warn',
      ADMIN_EMAILS: 'admin@example.com',
    });
    admin = await signIn(sut.app, 'admin@example.com');
  }, 120_000);

  afterAll(async () => {
    await sut.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const http = () => request(sut.app.getHttpServer());
  const get = (user: SignedIn, path: string) => http().get(path).set('Authorization', user.auth);
  const put = (user: SignedIn, path: string) => http().put(path).set('Authorization', user.auth);
  const del = (user: SignedIn, path: string) => http().delete(path).set('Authorization', user.auth);
  const post = (user: SignedIn, path: string, body: object) =>
    http().post(path).set('Authorization', user.auth).send(body);
  const patch = (user: SignedIn, path: string, body: object) =>
    http().patch(path).set('Authorization', user.auth).send(body);

  /** New users for one test: emails never reused across tests. */
  function people(count: number, name = 'user'): Promise<SignedIn[]> {
    const start = serial;
    serial += count;
    return pool(
      Array.from({ length: count }, (_, i) => start + i),
      20,
      (i) => signIn(sut.app, `${name}${i}@example.com`, `${name} ${i}`),
    );
  }

  const profile = async (viewer: SignedIn, user: SignedIn) =>
    (await get(viewer, `/v1/users/${user.id}`).expect(200)).body as Profile;

  /** Every item of a list, page by page (pages may come out short when entries are hidden). */
  async function walk<T>(viewer: SignedIn, path: string, limit = 7): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(viewer, path)
        .query({ limit, ...(cursor ? { cursor } : {}) })
        .expect(200);
      const page = res.body as Page<T>;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }
  const ids = async (viewer: SignedIn, path: string) =>
    (await walk<{ id: string }>(viewer, path)).map((item) => item.id);
  const timeline = async (viewer: SignedIn) => {
    await sut.settled();
    return ids(viewer, '/v1/timeline');
  };

  test('should keep a private account’s content to its followers, and make a follow a request', async () => {
    const [alice, bob] = await people(2, 'private');
    await patch(alice, '/v1/me', { private: true }).expect(200, /"private":true/);
    const { id: postId } = await publishPost(sut.app, alice, 'for followers');
    await post(alice, `/v1/posts/${postId}/comments`, { text: 'mine' }).expect(201);

    for (const path of [
      `/v1/users/${alice.id}/posts`,
      `/v1/users/${alice.id}/followers`,
      `/v1/users/${alice.id}/following`,
      `/v1/posts/${postId}`,
      `/v1/posts/${postId}/likers`,
      `/v1/posts/${postId}/comments`,
    ]) {
      const res = await get(bob, path);
      expect([path, res.status, (res.body as { code: string }).code]).toEqual([path, 403, 'private_account']);
    }
    await put(bob, `/v1/posts/${postId}/like`).expect(403, /private_account/);
    await post(bob, `/v1/posts/${postId}/comments`, { text: 'hi' }).expect(403, /private_account/);
    // The profile itself shows, with its counts.
    expect(await profile(bob, alice)).toMatchObject({ private: true, followedByMe: false, requestedByMe: false });
    // Alice sees all of her own.
    await get(alice, `/v1/users/${alice.id}/posts`).expect(200);
    await get(alice, `/v1/posts/${postId}/comments`).expect(200);

    const asked = await put(bob, `/v1/users/${alice.id}/follow`).expect(200);
    expect(asked.body).toEqual({ following: false, requested: true, followerCount: 0 });
    await put(bob, `/v1/users/${alice.id}/follow`).expect(200, { following: false, requested: true, followerCount: 0 });
    expect(await profile(bob, alice)).toMatchObject({ requestedByMe: true, followedByMe: false });
    expect(await ids(alice, '/v1/me/follow-requests')).toEqual([bob.id]);
    expect(await timeline(bob)).not.toContain(postId);

    // Withdrawn by bob, then asked again and denied by alice.
    await del(bob, `/v1/users/${alice.id}/follow`).expect(200, {
      following: false,
      requested: false,
      followerCount: 0,
    });
    expect(await ids(alice, '/v1/me/follow-requests')).toEqual([]);
    await put(bob, `/v1/users/${alice.id}/follow`).expect(200);
    await del(alice, `/v1/me/follow-requests/${bob.id}`).expect(204);
    await del(alice, `/v1/me/follow-requests/${bob.id}`).expect(204);
    await put(alice, `/v1/me/follow-requests/${bob.id}`).expect(404, /follow_request_not_found/);
    expect(await profile(bob, alice)).toMatchObject({ requestedByMe: false, followedByMe: false, followerCount: 0 });
  });

  test('should leave 60 followers of 100 concurrent requests when 60 are approved and 40 denied at once', async () => {
    const [star] = await people(1, 'star');
    const fans = await people(100, 'fan');
    await patch(star, '/v1/me', { private: true }).expect(200);
    const { id: postId } = await publishPost(sut.app, star, 'members only');

    // A like before the approval is refused (and must not stay refused after it).
    await put(fans[0], `/v1/posts/${postId}/like`).expect(403, /private_account/);
    const asked = await Promise.all(fans.map((fan) => put(fan, `/v1/users/${star.id}/follow`)));
    expect(asked.map((res) => `${res.status} ${(res.body as { requested: boolean }).requested}`)).toEqual(
      fans.map(() => '200 true'),
    );
    const pending = await ids(star, '/v1/me/follow-requests');
    expect(pending).toHaveLength(100);
    expect(new Set(pending)).toEqual(new Set(fans.map((fan) => fan.id)));

    const [approved, denied] = [fans.slice(0, 60), fans.slice(60)];
    const answers = await Promise.all([
      ...approved.map((fan) => put(star, `/v1/me/follow-requests/${fan.id}`)),
      ...denied.map((fan) => del(star, `/v1/me/follow-requests/${fan.id}`)),
    ]);
    expect(answers.map((res) => res.status)).toEqual([...approved.map(() => 200), ...denied.map(() => 204)]);

    expect((await profile(star, star)).followerCount).toBe(60);
    expect(await ids(star, '/v1/me/follow-requests')).toEqual([]);
    expect(new Set(await ids(star, `/v1/users/${star.id}/followers`))).toEqual(new Set(approved.map((fan) => fan.id)));
    await sut.settled();
    for (const fan of approved.slice(0, 5)) {
      await get(fan, `/v1/posts/${postId}`).expect(200);
      await put(fan, `/v1/posts/${postId}/like`).expect(200);
      expect(await timeline(fan)).toContain(postId);
    }
    for (const fan of denied.slice(0, 5)) {
      await get(fan, `/v1/posts/${postId}`).expect(403, /private_account/);
      expect(await timeline(fan)).not.toContain(postId);
    }
  }, 180_000);

  test('should approve every pending request when the account goes public', async () => {
    const [owner, ...askers] = await people(6, 'public');
    await patch(owner, '/v1/me', { private: true }).expect(200);
    await Promise.all(askers.map((asker) => put(asker, `/v1/users/${owner.id}/follow`).expect(200)));

    await patch(owner, '/v1/me', { private: false }).expect(200, /"private":false/);
    await sut.settled();

    expect(await ids(owner, '/v1/me/follow-requests')).toEqual([]);
    expect((await profile(owner, owner)).followerCount).toBe(5);
    expect(await profile(askers[0], owner)).toMatchObject({ followedByMe: true, requestedByMe: false });
  });

  test('should take a removed follower’s timeline off my posts and count them out', async () => {
    const [alice, bob] = await people(2, 'remove');
    await put(bob, `/v1/users/${alice.id}/follow`).expect(200, /"following":true/);
    const { id: postId } = await publishPost(sut.app, alice, 'soon gone for bob');
    expect(await timeline(bob)).toContain(postId);
    expect(await profile(alice, bob)).toMatchObject({ followsMe: true });

    await del(alice, `/v1/me/followers/${bob.id}`).expect(200, { follower: false, followerCount: 0 });

    expect(await timeline(bob)).not.toContain(postId);
    expect(await profile(bob, alice)).toMatchObject({ followedByMe: false, followerCount: 0 });
  });

  test('should leave a blocked user nothing of the blocker in any list or timeline', async () => {
    const [alice, bob, carol] = await people(3, 'block');
    // Alice and bob follow each other; both follow carol; bob liked alice's post; alice is active on carol's post.
    await Promise.all([
      put(bob, `/v1/users/${alice.id}/follow`).expect(200),
      put(alice, `/v1/users/${bob.id}/follow`).expect(200),
      put(alice, `/v1/users/${carol.id}/follow`).expect(200),
      put(bob, `/v1/users/${carol.id}/follow`).expect(200),
    ]);
    const { id: alicePost } = await publishPost(sut.app, alice, 'by alice');
    const { id: carolPost } = await publishPost(sut.app, carol, 'by carol');
    await put(bob, `/v1/posts/${alicePost}/like`).expect(200);
    await put(alice, `/v1/posts/${carolPost}/like`).expect(200);
    await put(bob, `/v1/posts/${carolPost}/like`).expect(200);
    const comment = (await post(alice, `/v1/posts/${carolPost}/comments`, { text: 'alice was here' }).expect(201))
      .body as { id: string };
    const carolReply = (
      await post(carol, `/v1/posts/${carolPost}/comments`, { text: 'carol answers', replyTo: comment.id }).expect(201)
    ).body as { id: string };
    expect(await timeline(bob)).toContain(alicePost);
    const { id: bobPost } = await publishPost(sut.app, bob, 'by bob');
    await put(bob, `/v1/users/${alice.id}/mute`).expect(200);

    await put(alice, `/v1/users/${bob.id}/block`).expect(200, { blocked: true });
    await put(alice, `/v1/users/${bob.id}/block`).expect(200, { blocked: true });

    // Everything of alice's answers 404 to bob, as if she did not exist.
    const { username } = (await get(alice, '/v1/me').expect(200)).body as { username: string };
    for (const path of [
      `/v1/users/${alice.id}`,
      `/v1/users/by-username/${username}`,
      `/v1/users/${alice.id}/posts`,
      `/v1/users/${alice.id}/followers`,
      `/v1/users/${alice.id}/following`,
      `/v1/posts/${alicePost}`,
      `/v1/posts/${alicePost}/likers`,
      `/v1/posts/${alicePost}/comments`,
      `/v1/comments/${comment.id}`,
      `/v1/comments/${comment.id}/replies`,
    ]) {
      expect([path, (await get(bob, path)).status]).toEqual([path, 404]);
    }
    // Nor does she show anywhere bob looks.
    const everywhere = [
      await timeline(bob),
      await ids(bob, `/v1/users/${bob.id}/followers`),
      await ids(bob, `/v1/users/${bob.id}/following`),
      await ids(bob, `/v1/users/${carol.id}/followers`),
      await ids(bob, `/v1/posts/${carolPost}/likers`),
      (await walk<{ author: { id: string } }>(bob, `/v1/posts/${carolPost}/comments`)).map((item) => item.author.id),
    ];
    for (const list of everywhere) {
      expect(list).not.toContain(alice.id);
      expect(list).not.toContain(alicePost);
    }
    // And bob shows nowhere alice looks.
    expect(await ids(alice, `/v1/posts/${carolPost}/likers`)).toEqual([alice.id]);
    expect(await ids(alice, `/v1/users/${carol.id}/followers`)).toEqual([alice.id]);
    expect(await ids(alice, `/v1/posts/${alicePost}/likers`)).toEqual([]);
    // The replies of a comment stay visible to those not blocked.
    await get(carol, `/v1/comments/${comment.id}`).expect(200);
    expect(await ids(carol, `/v1/posts/${carolPost}/likers`)).toHaveLength(2);

    // Bob can do nothing to alice or her post.
    await put(bob, `/v1/users/${alice.id}/follow`).expect(404);
    await put(bob, `/v1/posts/${alicePost}/like`).expect(404);
    await post(bob, `/v1/posts/${alicePost}/comments`, { text: 'let me in' }).expect(404);
    // Nor can he tell she exists by following, muting or blocking her, and his mutes list no longer shows her.
    await del(bob, `/v1/users/${alice.id}/follow`).expect(404);
    await put(bob, `/v1/users/${alice.id}/mute`).expect(404);
    await put(bob, `/v1/users/${alice.id}/block`).expect(404);
    expect(await ids(bob, '/v1/me/mutes')).toEqual([]);
    // Taking his like back still works, and counts.
    await del(bob, `/v1/posts/${alicePost}/like`).expect(200, { liked: false, likeCount: 0 });
    // Alice can still report what bob posted.
    await post(alice, '/v1/reports', { postId: bobPost, reason: 'harassment' }).expect(201);
    // Nor to her comment on carol's post, hidden from him.
    await put(bob, `/v1/comments/${comment.id}/like`).expect(404);
    await post(bob, `/v1/posts/${carolPost}/comments`, { text: 'hey', replyTo: comment.id }).expect(404);
    // Nor by answering carol's reply in alice's thread (it would join alice's comment).
    await post(bob, `/v1/posts/${carolPost}/comments`, { text: 'hey', replyTo: carolReply.id }).expect(404);
    await post(bob, `/v1/posts/${carolPost}/comments`, { text: 'carol only' }).expect(201);

    // The follows ended both ways and the counts moved; alice sees bob, blocked, to unblock him.
    expect(await profile(alice, alice)).toMatchObject({ followerCount: 0, followingCount: 1 });
    expect(await profile(alice, bob)).toMatchObject({
      blockedByMe: true,
      followedByMe: false,
      followsMe: false,
      followerCount: 0,
      followingCount: 1,
    });
    await get(alice, `/v1/users/${bob.id}/posts`).expect(403, /user_blocked/);
    await put(alice, `/v1/users/${bob.id}/follow`).expect(403, /user_blocked/);
    expect(await ids(alice, '/v1/me/blocks')).toEqual([bob.id]);

    // Unblocked: bob sees alice again; the follows stay ended.
    await del(alice, `/v1/users/${bob.id}/block`).expect(200, { blocked: false });
    expect(await profile(bob, alice)).toMatchObject({ followedByMe: false, followsMe: false });
    expect(await ids(alice, '/v1/me/blocks')).toEqual([]);
  });

  test('should leave no follow and exact counts when a block races 20 likes and follows', async () => {
    const [alice, bob, carol] = await people(3, 'race');
    const posts = await pool([0, 1, 2, 3], 2, (i) => publishPost(sut.app, alice, `race ${i}`));
    for (let round = 0; round < 3; round++) {
      const racing = await Promise.all([
        ...Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0
            ? put(bob, `/v1/users/${alice.id}/follow`)
            : put(bob, `/v1/posts/${posts[i % 4 === 1 ? 0 : (round % 3) + 1].id}/like`),
        ),
        put(alice, `/v1/users/${bob.id}/follow`),
        put(alice, `/v1/users/${bob.id}/block`),
      ]);
      expect(racing.filter((res) => ![200, 404].includes(res.status)).map((res) => res.status)).toEqual([]);
      expect(racing.at(-1)?.status).toBe(200);
      await sut.settled();

      for (const [viewer, user] of [
        [alice, alice],
        [bob, bob],
      ] as const) {
        expect(await profile(viewer, user)).toMatchObject({ followerCount: 0, followingCount: 0 });
      }
      expect(await ids(alice, `/v1/users/${alice.id}/followers`)).toEqual([]);
      expect(await ids(bob, `/v1/users/${bob.id}/following`)).toEqual([]);
      // Likes that committed before the block stay, and are counted exactly as carol sees them listed.
      for (const { id } of posts) {
        const shown = (await get(carol, `/v1/posts/${id}`).expect(200)).body as { likeCount: number };
        expect(await ids(carol, `/v1/posts/${id}/likers`)).toHaveLength(shown.likeCount);
      }
      await del(alice, `/v1/users/${bob.id}/block`).expect(200);
    }
  }, 120_000);

  test('should take a muted author’s new posts out of my timeline and bring them back on unmute', async () => {
    const [me, loud] = await people(2, 'mute');
    await put(me, `/v1/users/${loud.id}/follow`).expect(200);
    await put(me, `/v1/users/${loud.id}/mute`).expect(200, { muted: true });
    const { id: postId } = await publishPost(sut.app, loud, 'shouting');

    expect(await timeline(me)).not.toContain(postId);
    // Nothing else changes: still following, the profile and the post show, and loud is not told.
    expect(await profile(me, loud)).toMatchObject({ followedByMe: true, mutedByMe: true });
    await get(me, `/v1/posts/${postId}`).expect(200);
    expect(await profile(loud, me)).toMatchObject({ followsMe: true, blockedByMe: false, mutedByMe: false });
    expect(await ids(me, '/v1/me/mutes')).toEqual([loud.id]);

    await del(me, `/v1/users/${loud.id}/mute`).expect(200, { muted: false });
    expect(await timeline(me)).toContain(postId);
  });

  test('should read a timeline page in 2 store calls and a profile in 1, every relation marker included', async () => {
    const [me, ...others] = await people(5, 'cost');
    await Promise.all(others.map((other) => put(me, `/v1/users/${other.id}/follow`).expect(200)));
    await pool(others, 2, (other) => publishPost(sut.app, other, 'cost'));
    await put(me, `/v1/users/${others[0].id}/mute`).expect(200);
    await put(others[1], `/v1/users/${me.id}/block`).expect(200);
    await sut.settled();

    const page = await get(me, '/v1/timeline').expect(200);
    expect((page.body as Page<unknown>).items).toHaveLength(2);
    expect(page.headers['server-timing']).toMatch(/^store;desc="2 calls"/);
    const shown = await get(me, `/v1/users/${others[2].id}`).expect(200);
    expect(shown.headers['server-timing']).toMatch(/^store;desc="1 call"/);
  });

  test('should let anyone report and only admins list reports, delete anything and suspend', async () => {
    const [troll, victim, bystander] = await people(3, 'report');
    await put(bystander, `/v1/users/${troll.id}/follow`).expect(200);
    const { id: postId } = await publishPost(sut.app, troll, 'spam spam');
    const comment = (await post(troll, `/v1/posts/${postId}/comments`, { text: 'more spam' }).expect(201)).body as {
      id: string;
    };
    const { id: victimPost } = await publishPost(sut.app, victim, 'mine');
    const trollComment = (await post(troll, `/v1/posts/${victimPost}/comments`, { text: 'rude' }).expect(201)).body as {
      id: string;
    };

    const first = await post(victim, '/v1/reports', { postId, reason: 'spam' }).expect(201);
    const again = await post(victim, '/v1/reports', { postId, reason: 'spam' }).expect(201);
    expect(again.body).toEqual(first.body);
    await post(victim, '/v1/reports', { commentId: comment.id, reason: 'spam', note: ' look ' })
      .expect(201)
      .expect((res) => expect(res.body).toMatchObject({ note: 'look', target: { type: 'comment', postId } }));
    await post(victim, '/v1/reports', { userId: troll.id, reason: 'harassment' }).expect(201);
    for (const body of [
      {},
      { reason: 'spam' },
      { postId, userId: troll.id, reason: 'spam' },
      { postId, reason: 'meh' },
    ]) {
      await post(victim, '/v1/reports', body).expect(400);
    }
    await post(victim, '/v1/reports', { userId: victim.id, reason: 'spam' }).expect(400, /cannot_report_self/);
    await post(victim, '/v1/reports', { postId: '00-1234567890123-deadbeef', reason: 'spam' }).expect(404);

    await get(victim, '/v1/admin/reports').expect(403, /admin_only/);
    await put(victim, `/v1/admin/users/${troll.id}/suspension`).expect(403, /admin_only/);
    const reports = await walk<{ id: string; reporter: { id: string }; target: { id: string } }>(
      admin,
      '/v1/admin/reports',
      2,
    );
    const mine = reports.filter((report) => report.reporter?.id === victim.id);
    expect(mine.map((report) => report.target.id)).toEqual([troll.id, comment.id, postId]);

    // Suspended: the troll's writes are refused; others no longer see the account, its posts or its comments.
    await put(admin, `/v1/admin/users/${troll.id}/suspension`).expect(200, { suspended: true });
    await put(troll, `/v1/posts/${victimPost}/like`).expect(403, /account_suspended/);
    await post(troll, `/v1/posts/${victimPost}/comments`, { text: 'again' }).expect(403, /account_suspended/);
    await patch(troll, '/v1/me', { bio: 'innocent' }).expect(403, /account_suspended/);
    await get(troll, '/v1/me').expect(200, /"suspended":true/);
    await get(victim, `/v1/users/${troll.id}`).expect(404);
    await get(victim, `/v1/posts/${postId}`).expect(404);
    expect(await ids(victim, `/v1/posts/${victimPost}/comments`)).toEqual([]);
    expect(await ids(troll, `/v1/users/${troll.id}/followers`)).toEqual([bystander.id]);
    await get(victim, `/v1/users/${troll.id}/followers`).expect(404);
    expect(await timeline(bystander)).not.toContain(postId);
    await get(admin, `/v1/posts/${postId}`).expect(200);

    // Lifted: all back.
    await del(admin, `/v1/admin/users/${troll.id}/suspension`).expect(200, { suspended: false });
    await get(victim, `/v1/users/${troll.id}`).expect(200);
    expect(await ids(victim, `/v1/posts/${victimPost}/comments`)).toEqual([trollComment.id]);
    expect(await timeline(bystander)).toContain(postId);

    // Admins delete anyone's comment and post; others may not.
    await del(victim, `/v1/posts/${postId}`).expect(403, /not_post_author/);
    await del(admin, `/v1/comments/${comment.id}`).expect(204);
    await del(admin, `/v1/posts/${postId}`).expect(204);
    await get(bystander, `/v1/posts/${postId}`).expect(404);
    await del(admin, `/v1/admin/reports/${(first.body as { id: string }).id}`).expect(204);
    const left = await walk<{ id: string }>(admin, '/v1/admin/reports', 50);
    expect(left.map((report) => report.id)).not.toContain((first.body as { id: string }).id);
  }, 120_000);
});
