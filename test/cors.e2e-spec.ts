import request from 'supertest';
import { startTestApp, type TestApp } from './support/app.js';

describe('CORS (e2e)', () => {
  let sut: TestApp;

  afterEach(() => sut.close());

  const preflight = (origin: string, path: string, method: string) =>
    request(sut.app.getHttpServer())
      .options(path)
      .set('Origin', origin)
      .set('Access-Control-Request-Method', method)
      .set('Access-Control-Request-Headers', 'content-type,authorization');

  it('should let a configured web origin call the API and PUT to a local upload URL, and no other origin', async () => {
    sut = await startTestApp({ CORS_ORIGINS: 'https://app.example.com' });

    const api = await preflight('https://app.example.com', '/v1/me', 'GET');
    const upload = await preflight('https://app.example.com', '/v1/blobs/uploads%2Fu%2Fx', 'PUT');
    const stranger = await preflight('https://evil.example.com', '/v1/blobs/uploads%2Fu%2Fx', 'PUT');

    expect(api.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(upload.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(upload.headers['access-control-allow-methods']).toContain('PUT');
    expect(upload.headers['access-control-allow-headers']).toContain('Content-Type');
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('should allow no cross-origin access when no origin is configured', async () => {
    sut = await startTestApp();

    const res = await preflight('https://app.example.com', '/v1/me', 'GET');

    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
