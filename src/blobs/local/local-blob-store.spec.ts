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
    expect((await sut.read('uploads/u1/abc', 5)).toString()).toBe('12345');
    expect(await sut.read('uploads/u1/abc', 4)).toBe('too_large');
    expect(await sut.read('uploads/u1/nothing', 4)).toBe('missing');
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

  it('should never serve an upload, even with a signed read URL', async () => {
    const { url } = await sut.signUpload(grant());
    await sut.receive('uploads/u1/abc', params(url), {
      contentType: 'image/png',
      body: Readable.from([Buffer.from('png')]),
    });

    await expect(sut.open('uploads/u1/abc', params(await sut.readUrl('uploads/u1/abc')))).rejects.toMatchObject({
      code: 'blob_not_found',
    });
    await sut.delete('uploads/u1/abc');
    await sut.delete('uploads/u1/abc');

    expect(await sut.stat('uploads/u1/abc')).toBeUndefined();
  });

  it('should serve media under a URL that never changes, cached a year with its ETag, and delete it', async () => {
    await sut.writeMedia('media/u1/abc-w320', Buffer.from('webp bytes'), 'image/webp');
    const url = sut.mediaUrl('media/u1/abc-w320');

    const read = await sut.open('media/u1/abc-w320', params(url));
    read.body.destroy();

    expect(sut.mediaUrl('media/u1/abc-w320')).toBe(url);
    expect(new URL(url).searchParams.has('expires')).toBe(false);
    expect(read.info).toEqual({
      size: 10,
      contentType: 'image/webp',
      cacheControl: 'public, max-age=31536000, immutable',
      etag: expect.stringMatching(/^"[A-Za-z0-9_-]{27}"$/) as string,
    });
    await expect(sut.open('media/u1/other-w320', params(url))).rejects.toMatchObject({ code: 'blob_url_invalid' });
    await sut.deleteMedia('media/u1/abc-w320');
    await expect(sut.open('media/u1/abc-w320', params(url))).rejects.toMatchObject({ code: 'blob_not_found' });
    expect(await filesUnder(dir)).toEqual([]);
  });

  it('should refuse a read URL whose expiry was taken off to pass as a media URL', async () => {
    await sut.writeMedia('media/u1/abc', Buffer.from('old image'), 'image/jpeg');
    const { sig } = params(await sut.readUrl('media/u1/abc'));

    await expect(sut.open('media/u1/abc', { sig })).rejects.toMatchObject({ code: 'blob_url_invalid' });
  });
});
