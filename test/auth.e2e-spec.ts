import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from './support/app.js';
import { GoogleSigner } from './support/google-signer.js';
import { freePort } from './support/server-process.js';
import { expectProblem, fieldMessages } from './support/problems.js';

describe('sign-in (e2e)', () => {
  const google = new GoogleSigner();
  let sut: TestApp;

  beforeAll(() => google.start());
  afterAll(() => google.stop());

  describe('with Google ID tokens', () => {
    beforeEach(async () => {
      sut = await startTestApp({ GOOGLE_CLIENT_IDS: GoogleSigner.CLIENT_ID, GOOGLE_CERTS_URL: google.certsUrl });
    });
    afterEach(() => sut.close());

    it('should accept a valid token and act as its subject', async () => {
      const res = await request(sut.app.getHttpServer())
        .get('/v1/me')
        .set('Authorization', `Bearer ${google.token()}`)
        .expect(200);

      expect(res.body).toMatchObject({
        id: '110248495921238986420',
        email: 'ada@example.com',
        displayName: 'Ada Lovelace',
      });
    });

    it('should make an admin only of a verified email named by ADMIN_EMAILS', async () => {
      await sut.close();
      sut = await startTestApp({
        GOOGLE_CLIENT_IDS: GoogleSigner.CLIENT_ID,
        GOOGLE_CERTS_URL: google.certsUrl,
        ADMIN_EMAILS: 'ADA@example.com',
      });
      const me = (token: string) =>
        request(sut.app.getHttpServer()).get('/v1/me').set('Authorization', `Bearer ${token}`).expect(200);

      expect((await me(google.token({ email_verified: true }))).body).toMatchObject({ admin: true });
      expect((await me(google.token({ email_verified: false }))).body).toMatchObject({ admin: false });
      expect((await me(google.token({ email_verified: 'true' }))).body).toMatchObject({ admin: false });
      expect((await me(google.token({ email: 'eve@example.com', email_verified: true }))).body).toMatchObject({
        admin: false,
      });
    });

    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    it.each([
      ['an expired token', () => google.token({ iat: hourAgo - 3600, exp: hourAgo }), 'token expired'],
      [
        'a token for another client',
        () => google.token({ aud: 'someone-else.apps.googleusercontent.com' }),
        'token audience is not accepted',
      ],
      [
        'a token from another issuer',
        () => google.token({ iss: 'https://evil.example.com' }),
        'token issuer is not accepted',
      ],
      [
        'a token with a bad signature',
        () => google.token({}, { signWithOtherKey: true }),
        'token signature is invalid',
      ],
      ['a malformed token', () => 'not-a-jwt', 'token is malformed'],
      ['a token with a garbage header', () => `x${google.token()}`, 'token is malformed'],
      ['an alg "none" token', () => google.token({}, { header: { alg: 'none' } }), 'token algorithm must be RS256'],
      ['an HS256 token', () => google.token({}, { header: { alg: 'HS256' } }), 'token algorithm must be RS256'],
      ['a token without a key id', () => google.token({}, { header: { kid: undefined } }), 'token has no key id'],
      [
        'a token with an unknown key id',
        () => google.token({}, { header: { kid: 'nope' } }),
        'token signing key is unknown',
      ],
      ['a numeric subject', () => google.token({ sub: 12345 }), 'token subject is invalid'],
      ['an object subject', () => google.token({ sub: { id: 1 } }), 'token subject is invalid'],
      ['a 2,000-character subject', () => google.token({ sub: '1'.repeat(2_000) }), 'token subject is invalid'],
      ['a reserved subject', () => google.token({ sub: '__proto__' }), 'token subject is invalid'],
      ['a subject with a space', () => google.token({ sub: 'a b' }), 'token subject is invalid'],
      ['a future nbf', () => google.token({ nbf: Math.floor(Date.now() / 1000) + 3600 }), 'token not yet valid'],
      ['a string exp', () => google.token({ exp: '9999999999' }), 'token times must be numbers'],
      ['a missing iat', () => google.token({ iat: undefined }), 'token times must be numbers'],
      ['a future iat', () => google.token({ iat: Math.floor(Date.now() / 1000) + 3600 }), 'token not yet valid'],
    ])('should refuse %s with 401 and a reason', async (_, token, reason) => {
      const value = token();
      const res = await request(sut.app.getHttpServer())
        .get('/v1/me')
        .set('Authorization', `Bearer ${value}`)
        .expect(401);

      expect(expectProblem(res, 401, 'invalid_token').detail).toBe(reason);
      expect(res.headers['www-authenticate']).toBe(
        `Bearer realm="picfeed", error="invalid_token", error_description="${reason}"`,
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(JSON.stringify(sut.logs)).not.toContain(value.split('.').at(-1));
    });

    it('should fetch the certificates once for many concurrent sign-ins', async () => {
      const before = google.fetches;

      const answers = await Promise.all(
        Array.from({ length: 30 }, () =>
          request(sut.app.getHttpServer()).get('/v1/me').set('Authorization', `Bearer ${google.token()}`),
        ),
      );

      expect(answers.map((res) => res.status)).toEqual(Array<number>(30).fill(200));
      expect(google.fetches - before).toBe(1);
    });

    it('should refuse a request without a token with a bare Bearer challenge', async () => {
      const res = await request(sut.app.getHttpServer()).get('/v1/me').expect(401);

      expect(expectProblem(res, 401, 'missing_token').detail).toBe('missing bearer token');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="picfeed"');
    });

    it('should refuse another authorization scheme', async () => {
      const res = await request(sut.app.getHttpServer()).get('/v1/me').set('Authorization', 'Basic YTpi').expect(401);

      expect(expectProblem(res, 401, 'invalid_token').detail).toBe(
        'authorization header must be "Bearer <Google ID token>"',
      );
    });

    it('should keep health and docs open', async () => {
      await request(sut.app.getHttpServer()).get('/healthz').expect(200);
      await request(sut.app.getHttpServer()).get('/docs-json').expect(200);
    });
  });

  describe('when Google cannot be reached', () => {
    beforeEach(async () => {
      // A port nothing listens on: the fetch fails at once, as on a machine without internet.
      sut = await startTestApp({
        GOOGLE_CLIENT_IDS: GoogleSigner.CLIENT_ID,
        GOOGLE_CERTS_URL: `http://127.0.0.1:${await freePort()}/certs`,
      });
    });
    afterEach(() => sut.close());

    it('should answer a token that could be valid with 503 and Retry-After, 150 at once, without a fetch each', async () => {
      const started = performance.now();
      const answers = await Promise.all(
        Array.from({ length: 150 }, () =>
          request(sut.app.getHttpServer()).get('/v1/me').set('Authorization', `Bearer ${google.token()}`),
        ),
      );
      const seconds = (performance.now() - started) / 1000;

      expect(new Set(answers.map((res) => res.status))).toEqual(new Set([503]));
      expect(answers.every((res) => Number(res.headers['retry-after']) >= 1)).toBe(true);
      process.stdout.write(`auth: 150 sign-ins while Google is unreachable answered 503 in ${seconds.toFixed(2)} s\n`);
    });

    it('should refuse a token that cannot be valid with 401 without needing the certificates', async () => {
      const tokens = [
        google.token({}, { header: { alg: 'none' } }),
        google.token({ iss: 'https://evil.example.com' }),
        google.token({ aud: 'other' }),
        google.token({ exp: '1' }),
        google.token({ sub: '__key__' }),
      ];

      const answers = await Promise.all(
        tokens.map((token) => request(sut.app.getHttpServer()).get('/v1/me').set('Authorization', `Bearer ${token}`)),
      );

      expect(answers.map((res) => res.status)).toEqual([401, 401, 401, 401, 401]);
    });
  });

  describe('with the dev issuer', () => {
    let dataDir: string;

    beforeEach(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'picfeed-auth-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('should mint tokens that sign in and survive a restart of the embedded store', async () => {
      const env = { STORE: 'embedded', DATA_DIR: dataDir, EMBEDDED_FSYNC: 'false' };
      sut = await startTestApp(env);
      const minted = await request(sut.app.getHttpServer())
        .post('/v1/auth/dev-token')
        .send({ email: 'Grace@Example.com', name: 'Grace' })
        .expect(200);
      await sut.close();

      sut = await startTestApp(env);
      const me = await request(sut.app.getHttpServer())
        .get('/v1/me')
        .set('Authorization', `Bearer ${minted.body.idToken}`)
        .expect(200);
      await sut.close();

      expect(Date.parse(minted.body.expiresAt as string)).toBeGreaterThan(Date.now());
      expect(me.body).toMatchObject({ email: 'grace@example.com', displayName: 'Grace', username: 'grace' });
      expect(me.body.id).toMatch(/^dev-[0-9a-f]{24}$/);
    });

    it('should refuse a bad dev-token request with field errors', async () => {
      sut = await startTestApp();
      const res = await request(sut.app.getHttpServer())
        .post('/v1/auth/dev-token')
        .send({ email: 'nope', admin: true });
      await sut.close();

      expect(fieldMessages(res)).toEqual(
        expect.arrayContaining(['property admin should not exist', 'email must be an email']),
      );
    });

    it('should answer 404 when the dev issuer is off', async () => {
      sut = await startTestApp({ DEV_SIGN_IN: 'false', GOOGLE_CLIENT_IDS: GoogleSigner.CLIENT_ID });
      const res = await request(sut.app.getHttpServer()).post('/v1/auth/dev-token').send({ email: 'a@b.co' });
      expectProblem(res, 404, 'route_not_found');
      await sut.close();
    });
  });
});
