import request from 'supertest';
import { signIn, startTestApp, type SignedIn, type TestApp } from './support/app.js';
import { expectProblem, fieldMessages } from './support/problems.js';

describe('follows (e2e)', () => {
  let sut: TestApp;
  let ada: SignedIn;
  let bob: SignedIn;

  beforeEach(async () => {
    sut = await startTestApp({ FOLLOWER_BATCH_SIZE: '3' });
    [ada, bob] = await Promise.all([signIn(sut.app, 'ada@example.com'), signIn(sut.app, 'bob@example.com')]);
  });

  afterEach(() => sut.close());

  const http = () => request(sut.app.getHttpServer());

  it('should follow and unfollow idempotently and show it on the profile', async () => {
    const followed = await http().put(`/v1/users/${bob.id}/follow`).set('Authorization', ada.auth).expect(200);
    const again = await http().put(`/v1/users/${bob.id}/follow`).set('Authorization', ada.auth).expect(200);

    expect(followed.body).toEqual({ following: true, requested: false, followerCount: 1 });
    expect(again.body).toEqual({ following: true, requested: false, followerCount: 1 });
    const profile = await http().get(`/v1/users/${bob.id}`).set('Authorization', ada.auth).expect(200);
    expect(profile.body).toMatchObject({ followerCount: 1, followingCount: 0, followedByMe: true });
    const me = await http().get('/v1/me').set('Authorization', ada.auth).expect(200);
    expect(me.body).toMatchObject({ followerCount: 0, followingCount: 1 });

    const unfollowed = await http().delete(`/v1/users/${bob.id}/follow`).set('Authorization', ada.auth).expect(200);
    await http().delete(`/v1/users/${bob.id}/follow`).set('Authorization', ada.auth).expect(200);

    expect(unfollowed.body).toEqual({ following: false, requested: false, followerCount: 0 });
    const after = await http().get(`/v1/users/${bob.id}`).set('Authorization', ada.auth).expect(200);
    expect(after.body).toMatchObject({ followerCount: 0, followedByMe: false });
  });

  it('should refuse to follow yourself, an unknown user and a malformed id', async () => {
    const self = await http().put(`/v1/users/${ada.id}/follow`).set('Authorization', ada.auth).expect(400);
    const unknown = await http().put('/v1/users/nobody/follow').set('Authorization', ada.auth).expect(404);
    const malformed = await http().put('/v1/users/a%20b/follow').set('Authorization', ada.auth).expect(400);
    await http().put(`/v1/users/${bob.id}/follow`).expect(401);

    expect(expectProblem(self, 400, 'cannot_follow_self').detail).toBe('you cannot follow yourself');
    expect(expectProblem(unknown, 404, 'user_not_found').detail).toBe('user not found');
    expect(fieldMessages(malformed)).toEqual([expect.stringContaining('id must be')]);
  });

  it('should count 30 concurrent followers exactly and page through them newest first', async () => {
    const fans = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(sut.app, `fan${i}@example.com`)));

    const answers = await Promise.all(
      fans.map((fan) => http().put(`/v1/users/${ada.id}/follow`).set('Authorization', fan.auth)),
    );

    expect(answers.map((res) => res.status)).toEqual(Array(30).fill(200));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await http()
        .get(`/v1/users/${ada.id}/followers`)
        .query({ limit: 7, ...(cursor ? { cursor } : {}) })
        .set('Authorization', bob.auth)
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(7);
      seen.push(...res.body.items.map((user) => user.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(fans.map((fan) => fan.id).sort());
    const profile = await http().get(`/v1/users/${ada.id}`).set('Authorization', bob.auth).expect(200);
    expect(profile.body.followerCount).toBe(30);
  });

  it('should list who a user follows as user summaries', async () => {
    await http().put(`/v1/users/${bob.id}/follow`).set('Authorization', ada.auth).expect(200);

    const res = await http().get(`/v1/users/${ada.id}/following`).set('Authorization', bob.auth).expect(200);

    expect(res.body).toEqual({
      items: [{ id: bob.id, username: 'bob', displayName: 'bob', avatarUrl: null }],
      nextCursor: null,
    });
  });

  it('should answer 400 for a bad limit or cursor and 404 for the lists of an unknown user', async () => {
    const list = `/v1/users/${ada.id}/followers`;
    const limits: [unknown, string][] = [
      [0, 'limit must be at least 1'],
      [51, 'limit must be at most 50'],
      ['ten', 'limit must be an integer'],
      [2.5, 'limit must be an integer'],
    ];
    for (const [limit, message] of limits) {
      const res = await http().get(list).query({ limit }).set('Authorization', bob.auth).expect(400);
      expect(fieldMessages(res)).toContain(message);
    }
    for (const cursor of ['not a cursor', 'abc', Buffer.from('{"store":1}').toString('base64url')]) {
      const res = await http().get(list).query({ cursor }).set('Authorization', bob.auth).expect(400);
      expect(expectProblem(res, 400).detail).toContain('cursor is invalid');
    }
    await http().get('/v1/users/nobody/following').set('Authorization', bob.auth).expect(404);
  });
});
