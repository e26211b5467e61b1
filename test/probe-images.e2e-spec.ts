import { readFileSync } from 'node:fs';
import { bombPng, photoJpeg, tinyJpeg } from './support/images.js';
import { uploadImage } from './support/posts.js';
import { probeSuite } from './support/probe-server.js';

/** The most memory the process has held so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmHWM:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

describe('hostile images against a server process: refused with a 400 naming them, memory flat (e2e)', () => {
  const server = probeSuite('probe images');

  it('should refuse 12,000 x 12,000 decompression bombs from their header, its peak memory unmoved', async () => {
    const bomb = await bombPng();
    // A first real image warms the image pipeline up, so what follows measures the bombs alone.
    const warm = await uploadImage(server.sut.baseUrl, server.ann, await photoJpeg(1200, 900));
    await server.asAnn('post', '/v1/posts').send({ uploadId: warm.uploadId }).expect(201);
    const before = peakRssMb(server.sut.child.pid!);

    for (let i = 0; i < 5; i++) {
      const { uploadId } = await uploadImage(server.sut.baseUrl, server.ann, bomb, 'image/png');
      const res = await server.attack(
        `bomb ${i}`,
        () => server.asAnn('post', '/v1/posts').send({ media: [{ uploadId, altText: 'bomb' }] }),
        400,
      );
      expect(res.body).toMatchObject({
        code: 'invalid_image',
        detail: 'media[0] is 12000 x 12000 px: at most 10,000 px a side and 40 megapixels',
      });
    }

    const after = peakRssMb(server.sut.child.pid!);
    process.stdout.write(
      `decompression bombs (${bomb.length} bytes, 144 megapixels each): peak RSS ${before.toFixed(0)} MB -> ${after.toFixed(0)} MB\n`,
    );
    // Decoding one would take 144 MB at least.
    expect(after - before).toBeLessThan(40);
  }, 60_000);

  it('should refuse HTML behind a JPEG header, a PNG declared as JPEG and a cut-off JPEG, and stay up', async () => {
    const cases: [string, Buffer, string][] = [
      [
        'HTML behind a JPEG header',
        Buffer.concat([tinyJpeg().subarray(0, 3), Buffer.from('<html></html>')]),
        'image/jpeg',
      ],
      ['a PNG declared as JPEG', await bombPng(64), 'image/jpeg'],
      ['a cut-off JPEG', (await photoJpeg(600, 400)).subarray(0, 3000), 'image/jpeg'],
      ['an empty file', Buffer.alloc(0), 'image/webp'],
      ['a JPEG declared as AVIF', tinyJpeg(), 'image/avif'],
    ];
    for (const [name, bytes, type] of cases) {
      const { uploadId } = await uploadImage(server.sut.baseUrl, server.ann, bytes, type, Math.max(bytes.length, 1));
      const res = await server.attack(name, () => server.asAnn('post', '/v1/posts').send({ uploadId }), 400);
      expect(res.body).toMatchObject({
        code: 'invalid_image',
        detail: expect.stringMatching(/^the upload /) as string,
      });
      const avatar = await server.attack(
        `${name} as avatar`,
        () => server.asAnn('patch', '/v1/me').send({ avatarUploadId: uploadId }),
        400,
      );
      expect(avatar.body).toMatchObject({
        code: 'invalid_image',
        detail: expect.stringMatching(/^avatarUploadId /) as string,
      });
    }
    const posts = await server.asAnn('get', `/v1/users/${server.ann.id}/posts`).expect(200);
    expect((posts.body as { items: unknown[] }).items).toHaveLength(1);
  }, 60_000);
});
