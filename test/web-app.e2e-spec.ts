import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, startTestApp, type TestApp } from './support/app.js';

const INDEX =
  '<!doctype html><title>picfeed</title><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script>';

/** A stand-in for web/dist: what `vite build` writes, small enough to check byte for byte. */
/** Files a traversal out of the build would reach, one and two folders up: the tests look for their contents. */
const SECRETS = { 'package.json': '{"dependencies": {"secret": "1"}}', 'index.yaml': 'indexes: secret' };

/**
 * A stand-in for web/dist (`root/app/dist`), small enough to check byte for byte, with SECRETS planted in `root/app`
 * and `root`. Returns the build folder; `rmSync(join(dir, '../..'))` removes it all.
 */
function builtApp(): string {
  const root = mkdtempSync(join(tmpdir(), 'picfeed-web-'));
  const dir = join(root, 'app', 'dist');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  for (const [name, text] of Object.entries(SECRETS)) {
    writeFileSync(join(root, name), text);
    writeFileSync(join(root, 'app', name), text);
  }
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app");');
  writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

describe('the web app served at /', () => {
  let dir: string;
  let test: TestApp;

  beforeAll(async () => {
    dir = builtApp();
    test = await startTestApp({ PUBLIC_URL: 'http://photos.example:8080' }, { webDir: dir });
  });

  afterAll(async () => {
    await test.close();
    rmSync(join(dir, '../..'), { recursive: true, force: true });
  });

  it('should answer / with index.html, revalidated on every load, under a policy that runs only its own scripts', async () => {
    const res = await http(test.app)
      .get('/')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(res.text).toBe(INDEX);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("img-src 'self' data: blob: http://photos.example:8080");
    expect(csp).toContain("connect-src 'self' http://photos.example:8080");
    expect(csp).not.toContain('accounts.google.com');
  });

  it('should cache hashed assets for a year and everything else not at all', async () => {
    const script = await http(test.app)
      .get('/assets/index-abc123.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.headers.etag).toBeDefined();
    await http(test.app).get('/assets/index-abc123.js').set('If-None-Match', script.headers.etag).expect(304);
    const style = await http(test.app)
      .get('/assets/index-abc123.css')
      .expect(200)
      .expect('Content-Type', /text\/css/);
    expect(style.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await http(test.app).get('/favicon.svg').expect(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it.each([
    '/u/alice',
    '/u/alice/followers',
    '/u/alice.l',
    '/u/alice.l/following',
    '/p/abc',
    '/new',
    '/settings/profile',
    '/some/client/route',
  ])('should answer the client route %s with the page', async (path) => {
    const res = await http(test.app)
      .get(path)
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(res.text).toBe(INDEX);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it.each(['/assets/index-old999.js', '/assets/', '/robots.txt', '/favicon.ico', '/index.htm'])(
    'should answer a missing file %s with 404, never with the page',
    async (path) => {
      const res = await http(test.app)
        .get(path)
        .expect(404)
        .expect('Content-Type', /problem\+json/);
      expect(res.body.code).toBe('route_not_found');
      expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    },
  );

  it.each([
    '/assets/%2e%2e/%2e%2e/package.json',
    '/..%2f..%2fpackage.json',
    '/%2e%2e/index.yaml',
    '/assets/..%5c..%5cpackage.json',
  ])('should serve nothing outside the build for %s', async (path) => {
    const res = await http(test.app).get(path);
    // Refused, or taken for a client route (the page): never the file.
    expect(res.status === 200 ? res.text : res.status).toEqual(res.status === 200 ? INDEX : expect.any(Number));
    expect([200, 403, 404]).toContain(res.status);
    expect(res.text).not.toContain('"dependencies"');
    expect(res.text).not.toContain('indexes:');
  });

  it('should leave the API where it was', async () => {
    const unknown = await http(test.app)
      .get('/v1/nothing-here')
      .expect(404)
      .expect('Content-Type', /problem\+json/);
    expect(unknown.body.code).toBe('route_not_found');
    await http(test.app).get('/v1/me').expect(401);
    await http(test.app).get('/healthz').expect(200);
    await http(test.app).get('/docs-json').expect(200).expect('Content-Type', /json/);
    const docs = await http(test.app).get('/docs/').expect(200).expect('Content-Type', /html/);
    expect(docs.text).toContain('swagger');
    const post = await http(test.app).post('/').send({}).expect(404);
    expect(post.body.code).toBe('route_not_found');
  });

  it('should answer HEAD / like GET without the body', async () => {
    const res = await http(test.app).head('/').expect(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toBeUndefined();
  });

  it('should tell the sign-in screen that only the dev issuer is on', async () => {
    const res = await http(test.app).get('/v1/auth/options').expect(200);
    expect(res.body).toEqual({ devSignIn: true, googleClientId: null });
  });
});

describe('the web app with Google sign-in configured', () => {
  it('should offer Google’s button and allow its script, frame and calls, and nothing more', async () => {
    const dir = builtApp();
    const test = await startTestApp(
      { DEV_SIGN_IN: 'false', GOOGLE_CLIENT_IDS: 'client-1.apps.googleusercontent.com,client-2' },
      { webDir: dir },
    );
    try {
      const options = await http(test.app).get('/v1/auth/options').expect(200);
      expect(options.body).toEqual({ devSignIn: false, googleClientId: 'client-1.apps.googleusercontent.com' });
      const csp = (await http(test.app).get('/').expect(200)).headers['content-security-policy'];
      const page = await http(test.app).get('/').expect(200);
      expect(csp).toContain("script-src 'self' https://accounts.google.com/gsi/client;");
      expect(csp).toContain("style-src 'self' https://accounts.google.com/gsi/style;");
      expect(csp).toContain('frame-src https://accounts.google.com/gsi/;');
      expect(csp).toMatch(/connect-src 'self' \S+ https:\/\/accounts\.google\.com\/gsi\/;/);
      // Google's popup answers by postMessage; a same-origin opener policy would cut it off.
      expect(page.headers['cross-origin-opener-policy']).toBe('same-origin-allow-popups');
      await http(test.app).post('/v1/auth/dev-token').send({ email: 'a@b.co' }).expect(404);
    } finally {
      await test.close();
      rmSync(join(dir, '../..'), { recursive: true, force: true });
    }
  });
});

describe('without a built web app', () => {
  it('should answer / with the API’s 404, as before there was one', async () => {
    const test = await startTestApp({}, { webDir: join(tmpdir(), 'picfeed-no-web-app-here') });
    try {
      const res = await http(test.app)
        .get('/')
        .expect(404)
        .expect('Content-Type', /problem\+json/);
      expect(res.body.code).toBe('route_not_found');
    } finally {
      await test.close();
    }
  });
});
