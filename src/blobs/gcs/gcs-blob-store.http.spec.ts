import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { CRC32C, Storage } from '@google-cloud/storage';
import { GcsBlobStore } from './gcs-blob-store.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/**
 * The real client against a stand-in for Cloud Storage's JSON API on loopback: what the adapter asks for is checked
 * on the HTTP requests the client library actually sends (a custom endpoint makes it skip authentication).
 */
describe('GcsBlobStore over HTTP', () => {
  const seen: Seen[] = [];
  const objects = new Map<string, Buffer>([['uploads/u1/abc', Buffer.from('jpeg bytes here')]]);
  let server: Server;
  let storage: Storage;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        const url = new URL(req.url!, 'http://gcs.test');
        const name = decodeURIComponent(url.pathname.split('/o/')[1] ?? '');
        const json = (status: number, value: unknown) => {
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        if (req.method === 'POST' && url.pathname.startsWith('/upload/')) {
          // The client checks what was stored against the checksums the service answers with.
          const boundary = /boundary=([^;]+)/.exec(req.headers['content-type'] ?? '')![1];
          const media = body.toString('latin1').split(`--${boundary}`)[2];
          const data = Buffer.from(media.slice(media.indexOf('\r\n\r\n') + 4, -2), 'latin1');
          const crc32c = new CRC32C();
          crc32c.update(data);
          json(200, {
            bucket: 'picfeed-public',
            name: url.searchParams.get('name'),
            generation: '1',
            crc32c: crc32c.toString(),
            md5Hash: createHash('md5').update(data).digest('base64'),
          });
        } else if (req.method === 'DELETE') {
          res.writeHead(204).end();
        } else if (!objects.has(name)) {
          json(404, { error: { code: 404, message: 'No such object' } });
        } else if (url.searchParams.get('alt') === 'media') {
          const [, start, end] = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '') ?? [];
          res.writeHead(206, { 'Content-Type': 'image/jpeg' });
          res.end(objects.get(name)!.subarray(Number(start), Number(end) + 1));
        } else {
          json(200, { name, size: String(objects.get(name)!.length), contentType: 'image/jpeg' });
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    storage = new Storage({ apiEndpoint: `http://127.0.0.1:${port}`, projectId: 'picfeed-test' });
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => seen.splice(0));

  it('should upload a variant to the media bucket with its type and a one-year immutable Cache-Control', async () => {
    const sut = new GcsBlobStore({ bucket: 'picfeed-uploads', mediaBucket: 'picfeed-public', storage });

    await sut.writeMedia('media/u1/abc-w320', Buffer.from('RIFF....WEBP'), 'image/webp');

    expect(seen).toHaveLength(1);
    const [upload] = seen;
    expect(upload.method).toBe('POST');
    expect(upload.url).toContain('/upload/storage/v1/b/picfeed-public/o?');
    expect(new URL(upload.url, 'http://gcs.test').searchParams.get('name')).toBe('media/u1/abc-w320');
    const body = upload.body.toString('latin1');
    const metadata = JSON.parse(/\{[^\r\n]*\}/.exec(body)![0]) as Record<string, unknown>;
    expect(metadata).toMatchObject({ contentType: 'image/webp', cacheControl: 'public, max-age=31536000, immutable' });
    expect(body).toContain('RIFF....WEBP');
  });

  it('should delete a variant from the media bucket and an upload from the uploads bucket', async () => {
    const sut = new GcsBlobStore({ bucket: 'picfeed-uploads', mediaBucket: 'picfeed-public', storage });

    await sut.deleteMedia('media/u1/abc-w320');
    await sut.delete('uploads/u1/abc');

    expect(seen.map((request) => [request.method, request.url.split('?')[0]])).toEqual([
      ['DELETE', '/storage/v1/b/picfeed-public/o/media%2Fu1%2Fabc-w320'],
      ['DELETE', '/storage/v1/b/picfeed-uploads/o/uploads%2Fu1%2Fabc'],
    ]);
  });

  it('should read an upload with a byte range no longer than the limit, and tell a missing one', async () => {
    const sut = new GcsBlobStore({ bucket: 'picfeed-uploads', storage });

    await expect(sut.read('uploads/u1/abc', 100)).resolves.toEqual(Buffer.from('jpeg bytes here'));
    await expect(sut.read('uploads/u1/abc', 5)).resolves.toBe('too_large');
    await expect(sut.read('uploads/u1/gone', 100)).resolves.toBe('missing');

    const download = seen.find((request) => request.url.includes('alt=media'))!;
    expect(download.headers.range).toBe('bytes=0-99');
    expect(seen.filter((request) => request.url.includes('alt=media'))).toHaveLength(1);
  });
});
