import { createHash, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Storage } from '@google-cloud/storage';
import { GcsBlobStore } from './gcs-blob-store.js';

const BUCKET = 'picfeed-media';
const CLIENT_EMAIL = 'signer@picfeed-test.iam.gserviceaccount.com';

/** RFC 3986 encoding: everything but unreserved characters (A-Z a-z 0-9 - . _ ~) is percent-encoded. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

interface SignedRequest {
  readonly method: string;
  /** The canonical URI; the URL's own path unless a test tampers with it. */
  readonly path: string;
  /** Header values the client sends, by lowercased name. */
  readonly headers: Record<string, string>;
}

/** Rebuilds the V4 canonical request from a signed URL and the request actually sent, then checks the signature. */
function verifyV4(url: URL, request: SignedRequest, publicKey: KeyObject): boolean {
  const query = [...url.searchParams]
    .filter(([name]) => name !== 'X-Goog-Signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const signedHeaders = (url.searchParams.get('X-Goog-SignedHeaders') ?? '').split(';');
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    request.path,
    query,
    canonicalHeaders,
    signedHeaders.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const credential = url.searchParams.get('X-Goog-Credential') ?? '';
  const scope = credential.slice(credential.indexOf('/') + 1);
  const stringToSign = [
    'GOOG4-RSA-SHA256',
    url.searchParams.get('X-Goog-Date'),
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const signature = Buffer.from(url.searchParams.get('X-Goog-Signature') ?? '', 'hex');
  return verify('RSA-SHA256', Buffer.from(stringToSign), publicKey, signature);
}

/** The headers a browser sends: host from the URL plus the ones the store told it to send, names lowercased. */
function sentHeaders(url: URL, headers: Record<string, string>): Record<string, string> {
  const sent: Record<string, string> = { host: url.host };
  for (const [name, value] of Object.entries(headers)) {
    sent[name.toLowerCase()] = value;
  }
  return sent;
}

describe('GcsBlobStore', () => {
  let publicKey: KeyObject;
  let storage: Storage;

  beforeAll(() => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publicKey = pair.publicKey;
    const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    // google-auth-library warns that `credentials` is deprecated; an `authClient` (JWT) instead would make
    // getCredentials() probe the GCE metadata server, so the test would no longer be offline.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      storage = new Storage({
        projectId: 'picfeed-test',
        credentials: { client_email: CLIENT_EMAIL, private_key: pem },
      });
    } finally {
      warn.mockRestore();
    }
  });

  describe('signUpload', () => {
    const grant = () => ({
      objectName: 'uploads/abc/def',
      contentType: 'image/jpeg',
      maxBytes: 1234,
      expiresAt: new Date(Date.now() + 15 * 60 * 1000),
    });

    it('should return a path-style V4 URL whose signature verifies for the PUT with the returned headers', async () => {
      const sut = new GcsBlobStore({ bucket: BUCKET, storage });

      const signed = await sut.signUpload(grant());

      const url = new URL(signed.url);
      expect(url.origin).toBe('https://storage.googleapis.com');
      expect(url.pathname).toBe('/picfeed-media/uploads/abc/def');
      expect(url.searchParams.get('X-Goog-Algorithm')).toBe('GOOG4-RSA-SHA256');
      expect(url.searchParams.get('X-Goog-Credential')).toMatch(
        /^signer@picfeed-test\.iam\.gserviceaccount\.com\/\d{8}\/auto\/storage\/goog4_request$/,
      );
      const request = { method: 'PUT', path: url.pathname, headers: sentHeaders(url, signed.headers) };
      expect(verifyV4(url, request, publicKey)).toBe(true);
    });

    it('should sign for 15 minutes and sign exactly host plus the returned headers', async () => {
      const sut = new GcsBlobStore({ bucket: BUCKET, storage });

      const signed = await sut.signUpload(grant());

      const url = new URL(signed.url);
      const expires = Number(url.searchParams.get('X-Goog-Expires'));
      expect(expires).toBeGreaterThanOrEqual(899);
      expect(expires).toBeLessThanOrEqual(901);
      expect(signed.headers).toEqual({
        'Content-Type': 'image/jpeg',
        'x-goog-content-length-range': '0,1234',
        'x-goog-if-generation-match': '0',
      });
      const signedHeaders = url.searchParams.get('X-Goog-SignedHeaders')?.split(';');
      expect(signedHeaders).toEqual(
        expect.arrayContaining(['content-type', 'x-goog-content-length-range', 'x-goog-if-generation-match']),
      );
      expect(signedHeaders?.sort()).toEqual(Object.keys(sentHeaders(url, signed.headers)).sort());
    });

    it('should not verify for another object path', async () => {
      const sut = new GcsBlobStore({ bucket: BUCKET, storage });

      const signed = await sut.signUpload(grant());

      const url = new URL(signed.url);
      const request = {
        method: 'PUT',
        path: '/picfeed-media/uploads/abc/other',
        headers: sentHeaders(url, signed.headers),
      };
      expect(verifyV4(url, request, publicKey)).toBe(false);
    });

    it('should not verify without the only-if-absent precondition, so a URL cannot overwrite its object', async () => {
      const sut = new GcsBlobStore({ bucket: BUCKET, storage });

      const signed = await sut.signUpload(grant());

      const url = new URL(signed.url);
      const { 'x-goog-if-generation-match': _precondition, ...rest } = sentHeaders(url, signed.headers);
      expect(verifyV4(url, { method: 'PUT', path: url.pathname, headers: rest }, publicKey)).toBe(false);
    });

    it('should not verify for another content type or another length range', async () => {
      const sut = new GcsBlobStore({ bucket: BUCKET, storage });

      const signed = await sut.signUpload(grant());

      const url = new URL(signed.url);
      const headers = sentHeaders(url, signed.headers);
      const asPng = { method: 'PUT', path: url.pathname, headers: { ...headers, 'content-type': 'image/png' } };
      const larger = {
        method: 'PUT',
        path: url.pathname,
        headers: { ...headers, 'x-goog-content-length-range': '0,99999' },
      };
      expect(verifyV4(url, asPng, publicKey)).toBe(false);
      expect(verifyV4(url, larger, publicKey)).toBe(false);
    });
  });

  describe('mediaUrl', () => {
    it('should join the media base URL and the encoded object name without a network call', () => {
      const file = jest.fn();
      const sut = new GcsBlobStore({
        bucket: BUCKET,
        mediaBaseUrl: 'https://media.example.test/',
        storage: { bucket: (name: string) => ({ name, file }) } as unknown as Storage,
      });

      expect(sut.mediaUrl('media/abc/a b#1-w320')).toBe('https://media.example.test/media/abc/a%20b%231-w320');
      expect(file).not.toHaveBeenCalled();
    });

    it("should default to the media bucket's public URL, the same on every call", () => {
      const sut = new GcsBlobStore({ bucket: BUCKET, mediaBucket: 'picfeed-public', storage });

      expect(sut.mediaUrl('media/abc/def-w1080')).toBe(
        'https://storage.googleapis.com/picfeed-public/media/abc/def-w1080',
      );
      expect(sut.mediaUrl('media/abc/def-w1080')).toBe(sut.mediaUrl('media/abc/def-w1080'));
    });
  });

  describe('readUrl', () => {
    it('should sign a GET URL with only host signed when there is no media base URL', async () => {
      const sut = new GcsBlobStore({ bucket: BUCKET, storage, readUrlTtlSeconds: 600 });

      const url = new URL(await sut.readUrl('photos/abc/def'));

      expect(url.origin).toBe('https://storage.googleapis.com');
      expect(url.pathname).toBe('/picfeed-media/photos/abc/def');
      expect(url.searchParams.get('X-Goog-SignedHeaders')).toBe('host');
      expect(Number(url.searchParams.get('X-Goog-Expires'))).toBeGreaterThanOrEqual(599);
      expect(Number(url.searchParams.get('X-Goog-Expires'))).toBeLessThanOrEqual(601);
      const get = { method: 'GET', path: url.pathname, headers: { host: url.host } };
      expect(verifyV4(url, get, publicKey)).toBe(true);
      expect(verifyV4(url, { ...get, method: 'PUT' }, publicKey)).toBe(false);
    });
  });

  describe('with a fake client', () => {
    const notFound = () => Object.assign(new Error('No such object: picfeed-media/uploads/abc/def'), { code: 404 });

    function fakeStorage() {
      const file = {
        getMetadata: jest.fn<() => Promise<[{ size?: string; contentType?: string }]>>(),
        download: jest.fn<(options: { start: number; end: number }) => Promise<[Buffer]>>(),
        delete: jest.fn<(options: { ignoreNotFound: boolean }) => Promise<[unknown]>>(),
        save: jest.fn<(bytes: Buffer, options: unknown) => Promise<void>>(),
      };
      const bucketFile = jest.fn((_name: string) => file);
      const buckets: string[] = [];
      const storage = {
        bucket: (name: string) => {
          buckets.push(name);
          return { name, file: (objectName: string) => bucketFile(`${name}/${objectName}`) };
        },
      } as unknown as Storage;
      return { storage, file, bucketFile, buckets };
    }

    it('should map the metadata of an object to its size and content type', async () => {
      const { storage: fake, file, bucketFile } = fakeStorage();
      file.getMetadata.mockResolvedValue([{ size: '5120', contentType: 'image/webp' }]);
      const sut = new GcsBlobStore({ bucket: BUCKET, storage: fake });

      await expect(sut.stat('uploads/abc/def')).resolves.toEqual({ size: 5120, contentType: 'image/webp' });
      expect(bucketFile).toHaveBeenCalledWith(`${BUCKET}/uploads/abc/def`);
    });

    it('should stat a missing object (404) as undefined', async () => {
      const { storage: fake, file } = fakeStorage();
      file.getMetadata.mockRejectedValue(notFound());
      const sut = new GcsBlobStore({ bucket: BUCKET, storage: fake });

      await expect(sut.stat('uploads/abc/def')).resolves.toBeUndefined();
    });

    it('should pass other stat errors through', async () => {
      const { storage: fake, file } = fakeStorage();
      const forbidden = Object.assign(new Error('Forbidden'), { code: 403 });
      file.getMetadata.mockRejectedValue(forbidden);
      const sut = new GcsBlobStore({ bucket: BUCKET, storage: fake });

      await expect(sut.stat('uploads/abc/def')).rejects.toBe(forbidden);
    });

    it('should read a whole upload of at most maxBytes, never asking for more than that', async () => {
      const { storage: fake, file } = fakeStorage();
      file.getMetadata.mockResolvedValue([{ size: '3', contentType: 'image/jpeg' }]);
      file.download.mockResolvedValue([Buffer.from([0xff, 0xd8, 0xff])]);
      const sut = new GcsBlobStore({ bucket: BUCKET, storage: fake });

      await expect(sut.read('uploads/abc/def', 16)).resolves.toEqual(Buffer.from([0xff, 0xd8, 0xff]));
      expect(file.download).toHaveBeenCalledWith({ start: 0, end: 15 });
    });

    it('should answer too_large without downloading, and missing for an absent object', async () => {
      const { storage: fake, file } = fakeStorage();
      file.getMetadata.mockResolvedValueOnce([{ size: '17', contentType: 'image/jpeg' }]);
      file.getMetadata.mockRejectedValueOnce(notFound());
      const sut = new GcsBlobStore({ bucket: BUCKET, storage: fake });

      await expect(sut.read('uploads/abc/def', 16)).resolves.toBe('too_large');
      await expect(sut.read('uploads/abc/gone', 16)).resolves.toBe('missing');
      expect(file.download).not.toHaveBeenCalled();
    });

    it('should delete an upload with ignoreNotFound', async () => {
      const { storage: fake, file, bucketFile } = fakeStorage();
      file.delete.mockResolvedValue([{}]);
      const sut = new GcsBlobStore({ bucket: BUCKET, storage: fake });

      await sut.delete('uploads/abc/def');

      expect(bucketFile).toHaveBeenCalledWith(`${BUCKET}/uploads/abc/def`);
      expect(file.delete).toHaveBeenCalledWith({ ignoreNotFound: true });
    });

    it('should write and delete media in the media bucket, cached a year as immutable', async () => {
      const { storage: fake, file, bucketFile } = fakeStorage();
      file.save.mockResolvedValue(undefined);
      file.delete.mockResolvedValue([{}]);
      const sut = new GcsBlobStore({ bucket: BUCKET, mediaBucket: 'picfeed-public', storage: fake });

      await sut.writeMedia('media/abc/def-w320', Buffer.from('webp'), 'image/webp');
      await sut.deleteMedia('media/abc/def-w320');

      expect(bucketFile).toHaveBeenCalledWith('picfeed-public/media/abc/def-w320');
      expect(file.save).toHaveBeenCalledWith(Buffer.from('webp'), {
        resumable: false,
        contentType: 'image/webp',
        metadata: { cacheControl: 'public, max-age=31536000, immutable' },
      });
      expect(file.delete).toHaveBeenCalledWith({ ignoreNotFound: true });
    });
  });
});
