import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Store } from '../src/store/store.js';
import { startTestApp, type TestApp } from './support/app.js';
import { NODE, REPO_ROOT } from './support/server-process.js';
import { expectProblem } from './support/problems.js';

describe('foundation (e2e)', () => {
  let sut: TestApp;

  beforeEach(async () => {
    sut = await startTestApp({ GOOGLE_CLOUD_PROJECT: 'picfeed-test' });
  });

  afterEach(async () => {
    await sut.close();
  });

  it('should answer liveness with no store round trip', async () => {
    const res = await request(sut.app.getHttpServer()).get('/healthz').expect(200, { status: 'ok' });

    expect(res.headers['server-timing']).toMatch(/^store;desc="0 calls";dur=0\.0, app;dur=[\d.]+$/);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should answer readiness after one store round trip', async () => {
    const res = await request(sut.app.getHttpServer()).get('/readyz').expect(200, { status: 'ready' });

    expect(res.headers['server-timing']).toMatch(/^store;desc="1 call";dur=[\d.]+/);
  });

  it('should answer the App Engine warmup request', async () => {
    await request(sut.app.getHttpServer()).get('/_ah/warmup').expect(200, { status: 'ready' });
  });

  it('should turn readiness to 503 when the store is gone', async () => {
    await sut.app.get(Store).close();

    const res = await request(sut.app.getHttpServer()).get('/readyz').expect(503);

    expect(expectProblem(res, 503, 'not_ready').detail).toBe('store unreachable');
  });

  it('should keep a sane X-Request-Id from the caller and log the request with its trace', async () => {
    await request(sut.app.getHttpServer())
      .get('/healthz')
      .set('X-Request-Id', 'abc-123')
      .set('X-Cloud-Trace-Context', '105445aa7843bc8bf206b12000100000/1;o=1')
      .expect('X-Request-Id', 'abc-123');
    await new Promise((resolve) => setImmediate(resolve));

    expect(sut.logs).toContainEqual(
      expect.objectContaining({
        severity: 'INFO',
        requestId: 'abc-123',
        'logging.googleapis.com/trace': 'projects/picfeed-test/traces/105445aa7843bc8bf206b12000100000',
        httpRequest: expect.objectContaining({ requestMethod: 'GET', requestUrl: '/healthz', status: 200 }),
      }),
    );
  });

  it('should replace an unsafe X-Request-Id', async () => {
    const res = await request(sut.app.getHttpServer()).get('/healthz').set('X-Request-Id', 'x'.repeat(65));

    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should answer unknown API routes with a JSON 404 (other paths are the web app’s)', async () => {
    const res = await request(sut.app.getHttpServer()).get('/v1/nope').expect(404);
    expect(expectProblem(res, 404, 'route_not_found').detail).toBe('Cannot GET /v1/nope');
    const other = await request(sut.app.getHttpServer()).delete('/nope').expect(404);
    expect(expectProblem(other, 404, 'route_not_found').detail).toBe('Cannot DELETE /nope');
  });

  it('should answer malformed JSON with a 400 that says so', async () => {
    const res = await request(sut.app.getHttpServer())
      .post('/v1/anything')
      .set('Content-Type', 'application/json')
      .send('{"broken":');

    expect(expectProblem(res, 400, 'invalid_json').detail).toBe('request body is not valid JSON');
  });

  it('should refuse a JSON body over the size limit with 413', async () => {
    const res = await request(sut.app.getHttpServer())
      .post('/v1/anything')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ text: 'x'.repeat(70_000) }));

    expect(expectProblem(res, 413, 'body_too_large').detail).toBe('request body is too large');
  });

  it('should serve Swagger UI and the OpenAPI document', async () => {
    const ui = await request(sut.app.getHttpServer()).get('/docs/').expect(200);
    const doc = await request(sut.app.getHttpServer()).get('/docs-json').expect(200);

    expect(ui.text).toContain('swagger-ui');
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths as object)).toEqual(
      expect.arrayContaining(['/healthz', '/readyz', '/_ah/warmup']),
    );
  });

  it('should match the committed openapi/openapi.json (run `npm run openapi` after an API change)', () => {
    // The document comes from the build (dist/, made by the e2e global setup) as `npm run openapi` writes it.
    const target = join(mkdtempSync(join(tmpdir(), 'picfeed-openapi-')), 'openapi.json');
    execFileSync(NODE, ['dist/openapi.js', target], { cwd: REPO_ROOT });

    expect(readFileSync(target, 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'openapi/openapi.json'), 'utf8'));
  });
});
