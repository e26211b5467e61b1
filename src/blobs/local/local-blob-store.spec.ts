import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DomainError } from '../../common/errors.js';
import { LocalBlobStore, type BlobUrlParams } from './local-blob-store.js';

const params = (url: string): BlobUrlParams => Object.fromEntries(new URL(url).searchParams);

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

describe('LocalBlobStore', () => {
  let dir: string;
  let sut: LocalBlobStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'picfeed-blob-spec-'));
    sut = new LocalBlobStore({ dir, secret: Buffer.alloc(32, 7), publicUrl: 'http://api.test' });
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  const grant = (expiresAt = new Date(Date.now() + 60_000)) => ({
    objectName: 'uploads/u1/abc',
    contentType: 'image/png',
    maxBytes: 8,
    expiresAt,
  });

  it('should store a signed upload and report its size and type', async () => {
    const { url } = await sut.signUpload(grant());

    await sut.receive('uploads/u1/abc', params(url), {
      contentType: 'image/png',
      body: Readable.from([Buffer.from('12345')]),
    });

    expect(await sut.stat('uploads/u1/abc')).toEqual({ size: 5, contentType: 'image/png' });
    expect((await sut.readStart('uploads/u1/abc', 3)).toString()).toBe('123');
    expect(url.startsWith('http://api.test/v1/blobs/uploads%2Fu1%2Fabc?')).toBe(true);
  });

  it('should refuse an expired URL', async () => {
    const { url } = await sut.signUpload(grant(new Date(Date.now() - 1000)));

    await expect(
      sut.receive('uploads/u1/abc', params(url), { contentType: 'image/png', body: Readable.from([Buffer.from('1')]) }),
    ).rejects.toMatchObject({ code: 'blob_url_invalid', message: 'the URL has expired' });
  });

  it('should refuse a URL signed for another object or by another secret', async () => {
    const { url } = await sut.signUpload(grant());
    const other = new LocalBlobStore({ dir, secret: Buffer.alloc(32, 8), publicUrl: 'http://api.test' });
    const body = () => Readable.from([Buffer.from('1')]);

    await expect(
      sut.receive('uploads/u1/xyz', params(url), { contentType: 'image/png', body: body() }),
    ).rejects.toMatchObject({
      code: 'blob_url_invalid',
    });
    await expect(
      other.receive('uploads/u1/abc', params(url), { contentType: 'image/png', body: body() }),
    ).rejects.toMatchObject({
      code: 'blob_url_invalid',
    });
    await expect(sut.open('../../etc/passwd', params(url))).rejects.toBeInstanceOf(DomainError);
  });

  it('should stop a body that grows past the signed size without a declared length, and keep nothing', async () => {
    const { url } = await sut.signUpload(grant());
    const chunks = [Buffer.from('12345'), Buffer.from('67890')];

    await expect(
      sut.receive('uploads/u1/abc', params(url), { contentType: 'image/png', body: Readable.from(chunks) }),
    ).rejects.toMatchObject({ code: 'upload_too_large' });

    expect(await filesUnder(dir)).toEqual([]);
    expect(await sut.stat('uploads/u1/abc')).toBeUndefined();
  });

  it('should keep nothing of an upload whose connection breaks', async () => {
    const { url } = await sut.signUpload(grant());
    const broken = new Readable({
      read() {
        this.push(Buffer.from('123'));
        this.destroy(new Error('connection reset'));
      },
    });

    await expect(
      sut.receive('uploads/u1/abc', params(url), { contentType: 'image/png', body: broken }),
    ).rejects.toThrow('connection reset');

    expect(await filesUnder(dir)).toEqual([]);
  });

  it('should serve a signed read URL and delete the object', async () => {
    const { url } = await sut.signUpload(grant());
    await sut.receive('uploads/u1/abc', params(url), {
      contentType: 'image/png',
      body: Readable.from([Buffer.from('png')]),
    });

    const read = await sut.open('uploads/u1/abc', params(await sut.readUrl('uploads/u1/abc')));
    expect(read.info).toEqual({ size: 3, contentType: 'image/png' });
    read.body.destroy();
    await sut.delete('uploads/u1/abc');
    await sut.delete('uploads/u1/abc');

    expect(await sut.stat('uploads/u1/abc')).toBeUndefined();
  });
});
