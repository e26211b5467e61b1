import request from 'supertest';
import { bearerFor, startTestApp, type TestApp } from './support/app.js';
import { expectProblem, fieldMessages } from './support/problems.js';

describe('users (e2e)', () => {
  let sut: TestApp;
  let ada: string;
  let bob: string;

  beforeEach(async () => {
    sut = await startTestApp();
    [ada, bob] = await Promise.all([
      bearerFor(sut.app, 'ada.lovelace+pics@example.com', 'Ada'),
      bearerFor(sut.app, 'bob@example.com'),
    ]);
  });

  afterEach(() => sut.close());

  const http = () => request(sut.app.getHttpServer());

  it('should create the caller on the first GET /v1/me from the token claims', async () => {
    const res = await http().get('/v1/me').set('Authorization', ada).expect(200);

    expect(res.body).toEqual({
      id: expect.stringMatching(/^dev-/),
      username: 'ada.lovelace',
      displayName: 'Ada',
      avatarUrl: null,
      avatarVariants: [],
      bio: '',
      private: false,
      email: 'ada.lovelace+pics@example.com',
      suspended: false,
      admin: false,
      followerCount: 0,
      followingCount: 0,
      postCount: 0,
      followedByMe: false,
      requestedByMe: false,
      followsMe: false,
      blockedByMe: false,
      mutedByMe: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('should create exactly one user from ten concurrent first calls', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => http().get('/v1/me').set('Authorization', bob)));

    expect(answers.map((res) => res.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((res) => JSON.stringify(res.body))).size).toBe(1);
    expect(answers[0].body.username).toBe('bob');
  });

  it('should serve public profiles by id and by username in any case, without the email', async () => {
    const me = (await http().get('/v1/me').set('Authorization', ada).expect(200)).body;

    const byId = await http().get(`/v1/users/${me.id}`).set('Authorization', bob).expect(200);
    const byName = await http().get('/v1/users/by-username/Ada.Lovelace').set('Authorization', bob).expect(200);

    expect(byId.body).toEqual(byName.body);
    expect(byId.body).toMatchObject({ id: me.id, username: 'ada.lovelace', followerCount: 0 });
    expect(byId.body).not.toHaveProperty('email');
  });

  it('should answer 404 for unknown users and 400 for malformed ids', async () => {
    await http().get('/v1/users/nobody-here').set('Authorization', ada).expect(404);
    await http().get('/v1/users/by-username/nobody').set('Authorization', ada).expect(404);
    const bad = await http().get('/v1/users/%C3%A9t%C3%A9').set('Authorization', ada).expect(400);

    expect(fieldMessages(bad)).toEqual(['id must be 1-255 printable ASCII characters, not a reserved __name__']);
  });

  it('should update username, display name and bio', async () => {
    const res = await http()
      .patch('/v1/me')
      .set('Authorization', ada)
      .send({ username: 'countess_ada', displayName: 'Ada L.', bio: 'First programmer.' })
      .expect(200);

    expect(res.body).toMatchObject({ username: 'countess_ada', displayName: 'Ada L.', bio: 'First programmer.' });
    await http().get('/v1/users/by-username/countess_ada').set('Authorization', bob).expect(200);
    await http().get('/v1/users/by-username/ada.lovelace').set('Authorization', bob).expect(404);
  });

  it('should free the old username on a rename and refuse a taken one with 409', async () => {
    await http().patch('/v1/me').set('Authorization', ada).send({ username: 'ada2' }).expect(200);

    const taken = await http().patch('/v1/me').set('Authorization', bob).send({ username: 'ada2' }).expect(409);
    await http().patch('/v1/me').set('Authorization', bob).send({ username: 'ada.lovelace' }).expect(200);

    expect(expectProblem(taken, 409, 'username_taken').detail).toBe('username is taken');
  });

  it('should let exactly one of two users racing for a username have it', async () => {
    const answers = await Promise.all(
      [ada, bob].map((auth) => http().patch('/v1/me').set('Authorization', auth).send({ username: 'wanted' })),
    );

    expect(answers.map((res) => res.status).sort()).toEqual([200, 409]);
  });

  it.each([
    [{ username: 'Ada' }, 'username must be 3-30 lower-case letters'],
    [{ username: '.ada' }, 'username must be 3-30 lower-case letters'],
    [{ username: 'ada.' }, 'username must be 3-30 lower-case letters'],
    [{ username: 'ab' }, 'username must be 3-30 lower-case letters'],
    [{ username: 'a'.repeat(31) }, 'username must be 3-30 lower-case letters'],
    [{ username: 42 }, 'username must be a string'],
    [{ displayName: 'x'.repeat(65) }, 'displayName must be'],
    [{ displayName: '' }, 'displayName must be'],
    [{ bio: 'x'.repeat(301) }, 'bio must be shorter than or equal to 300 characters'],
    [{ email: 'me@evil.example' }, 'property email should not exist'],
  ])('should refuse %j with a 400 naming the field', async (body, message) => {
    const res = await http().patch('/v1/me').set('Authorization', ada).send(body).expect(400);

    expect(fieldMessages(res).some((text) => text.startsWith(message))).toBe(true);
  });
});
