import { readdirSync } from 'node:fs';
import { noiseJpeg, tinyJpeg } from './support/images.js';
import { pool } from './support/pool.js';
import { publishPost, uploadImage } from './support/posts.js';
import { abortedDownload, HANG_MS, probeSuite, raw } from './support/probe-server.js';
import { waitFor } from './support/wait-for.js';

/** A photo whose variants are large enough that a download takes many chunks. */
let big: Buffer;
const bigJpeg = (): Buffer => big;
beforeAll(async () => {
  big = await noiseJpeg();
});

function openFiles(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

describe('connections that misbehave against a server process: bodies, uploads, downloads, the process alive after (e2e)', () => {
  const server = probeSuite('probe connections');

  /** Sends `head` (request line, headers, maybe the body's first bytes), then one more body byte every 200 ms. */
  const trickle = (head: string) =>
    raw(
      server.port,
      (socket) => {
        socket.write(head);
        const drip = setInterval(() => (socket.writable ? socket.write(' ') : clearInterval(drip)), 200);
        socket.on('close', () => clearInterval(drip));
      },
      HANG_MS,
    );

  it('should answer a body that trickles in with 408 and close, and survive bodies cut off half-way', async () => {
    const slow = await trickle(
      `PATCH /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: ${server.ann.auth}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
    );
    server.record('slow body', slow);
    expect(slow.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(slow.timedOut).toBe(false);

    const refusedEarly = await trickle(
      'PATCH /v1/me HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n',
    );
    server.record('refused body that trickles on', refusedEarly);
    // Answered 415 at once; the server closes the connection (at the body deadline) instead of holding it while the
    // body trickles on.
    expect(refusedEarly.text).toMatch(/^HTTP\/1\.1 415 /);
    expect(refusedEarly.timedOut).toBe(false);

    await Promise.all(
      Array.from({ length: 20 }, () =>
        raw(
          server.port,
          (socket) => {
            socket.write(
              `PATCH /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: ${server.ann.auth}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"bio":"`,
            );
            socket.write('"half', () => socket.destroy());
          },
          1_000,
        ),
      ),
    );
    await server.expectAlive();
  }, 30_000);

  it('should answer an oversized body on a kept-alive connection with a 413 the client reads, then serve the next request', async () => {
    const body = JSON.stringify({ bio: 'x'.repeat(100_000) });
    const answer = await raw(
      server.port,
      (socket) => {
        socket.write(
          `PATCH /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: ${server.ann.auth}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        socket.write(body);
        socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      },
      HANG_MS,
    );
    server.record('oversized body', answer);

    expect(answer.text).toMatch(/^HTTP\/1\.1 413 [\s\S]*request body is too large[\s\S]*HTTP\/1\.1 200 OK/);
  }, 30_000);

  it('should accept one PUT per upload URL while it is there, and serve a post only what was made of it', async () => {
    const upload = await uploadImage(server.sut.baseUrl, server.ann);
    const url = new URL(upload.uploadUrl);
    const put = (bytes: Buffer) => server.http().put(`${url.pathname}${url.search}`).set(upload.headers).send(bytes);
    await server.attack('second PUT before publish', () => put(tinyJpeg()), 412);
    const post = await server.asAnn('post', '/v1/posts').send({ uploadId: upload.uploadId }).expect(201);

    const image = new URL((post.body as { imageUrl: string }).imageUrl);
    const before = await server.http().get(`${image.pathname}${image.search}`).expect(200);
    // The original was deleted at publish, so the URL writes once more (until it expires): nothing ever reads that.
    await server.attack('PUT after publish', () => put(Buffer.from('<html>not an image</html>')), 200);
    const again = await server.asAnn('post', '/v1/posts').send({ uploadId: upload.uploadId }).expect(201);
    const served = await server.http().get(`${image.pathname}${image.search}`).expect(200);

    expect((again.body as { imageUrl: string }).imageUrl).toBe(image.href);
    expect(Buffer.compare(served.body as Buffer, before.body as Buffer)).toBe(0);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(image.pathname).toMatch(/^\/v1\/blobs\/media%2F/);
  }, 30_000);

  it('should close the file of every aborted download, and answer downloads racing a delete with 200 or 404', async () => {
    const post = await publishPost(server.sut.baseUrl, server.ann, 'big', bigJpeg());
    await server.http().get('/healthz').expect(200);
    const before = openFiles(server.sut.child.pid!);

    await pool(
      Array.from({ length: 60 }, (_, i) => i),
      10,
      () => abortedDownload(post.imageUrl),
    );
    // A client that half-closes right after its request: the connection is gone before the file is open.
    const { pathname, search } = new URL(post.imageUrl);
    await pool(
      Array.from({ length: 50 }, (_, i) => i),
      10,
      () => raw(server.port, (socket) => socket.end(`GET ${pathname}${search} HTTP/1.1\r\nHost: x\r\n\r\n`), 2_000),
    );
    const racing = await publishPost(server.sut.baseUrl, server.ann, 'racing', bigJpeg());
    const image = new URL(racing.imageUrl);
    const [downloads] = await Promise.all([
      Promise.all(
        Array.from({ length: 20 }, () =>
          server
            .http()
            .get(`${image.pathname}${image.search}`)
            .then((res) => res.status),
        ),
      ),
      server.asAnn('delete', `/v1/posts/${racing.id}`).expect(204),
    ]);
    await waitFor(() => openFiles(server.sut.child.pid!) <= before + 2, {
      what: 'the server to close the files of the aborted and racing downloads',
      timeoutMs: HANG_MS,
    });
    const after = openFiles(server.sut.child.pid!);
    process.stdout.write(
      `probe: open files ${before} before 60 aborted and 50 half-closed downloads and 20 racing a delete, ${after} after\n`,
    );

    expect(downloads.every((status) => status === 200 || status === 404)).toBe(true);
    expect(after).toBeLessThanOrEqual(before + 2);
    await server.expectAlive();
  }, 30_000);
});
