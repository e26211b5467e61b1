import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobStore, type BlobInfo, type SignedUpload, type UploadGrant } from '../blob-store.js';

/** Why a request to a local blob URL is refused; the controller maps these to HTTP statuses. */
export class BlobRequestError extends Error {
  constructor(
    readonly status: 403 | 404 | 413,
    message: string,
  ) {
    super(message);
  }
}

/** What a signed local URL carries in its query string. */
export interface BlobUrlParams {
  readonly type?: string;
  readonly max?: string;
  readonly expires?: string;
  readonly sig?: string;
}

const OBJECT_NAME = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
const READ_URL_TTL_SECONDS = 3600;

/**
 * Blobs in a local folder, with signed URLs the app serves itself, so a browser uploads here exactly as it does to
 * Cloud Storage: an HMAC over method, object, content type, size limit and expiry; the bytes go to a temporary
 * file renamed into place only when complete, so a broken upload leaves nothing behind.
 */
export class LocalBlobStore extends BlobStore {
  constructor(private readonly options: { dir: string; secret: Buffer; publicUrl: string }) {
    super();
  }

  /** The folder's signing secret, created on first use (0600) so URLs stay valid across restarts. */
  static async loadSecret(file: string): Promise<Buffer> {
    try {
      return await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
    }
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, randomBytes(32), { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') {
        throw error;
      }
    });
    return readFile(file);
  }

  signUpload(grant: UploadGrant): Promise<SignedUpload> {
    const expires = Math.floor(grant.expiresAt.getTime() / 1000);
    const params = { type: grant.contentType, max: String(grant.maxBytes), expires: String(expires) };
    const sig = this.sign('PUT', grant.objectName, params.type, params.max, params.expires);
    return Promise.resolve({
      url: this.url(grant.objectName, { ...params, sig }),
      headers: { 'Content-Type': grant.contentType },
    });
  }

  readUrl(objectName: string): Promise<string> {
    // Rounded to the hour so a page's URLs stay the same (and cacheable) for a while.
    const expires = String((Math.floor(Date.now() / 1000 / READ_URL_TTL_SECONDS) + 2) * READ_URL_TTL_SECONDS);
    return Promise.resolve(this.url(objectName, { expires, sig: this.sign('GET', objectName, '', '', expires) }));
  }

  async stat(objectName: string): Promise<BlobInfo | undefined> {
    const path = this.path(objectName);
    try {
      const [info, meta] = await Promise.all([stat(path), readFile(`${path}.meta.json`, 'utf8')]);
      return { size: info.size, contentType: (JSON.parse(meta) as { contentType: string }).contentType };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw error;
    }
  }

  async readStart(objectName: string, length: number): Promise<Buffer> {
    const file = await open(this.path(objectName), 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  async delete(objectName: string): Promise<void> {
    const path = this.path(objectName);
    await rm(path, { force: true });
    await rm(`${path}.meta.json`, { force: true });
  }

  /**
   * Stores the body of a signed PUT. Refuses a bad or expired signature and another content type (403) and a
   * body over the signed size (413), checked on the declared length and again on the bytes that arrive.
   */
  async receive(
    objectName: string,
    params: BlobUrlParams,
    request: { contentType?: string; contentLength?: number; body: Readable },
  ): Promise<void> {
    const { type = '', max = '', expires = '' } = params;
    this.verify('PUT', objectName, params, type, max);
    if (request.contentType !== type) {
      throw new BlobRequestError(403, `Content-Type must be ${type}, as signed`);
    }
    const limit = Number(max);
    if (request.contentLength !== undefined && request.contentLength > limit) {
      throw new BlobRequestError(413, `the body is larger than the ${limit} bytes signed for`);
    }
    const path = this.path(objectName);
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await mkdir(dirname(path), { recursive: true });
    try {
      await pipeline(request.body, limitBytes(limit), createWriteStream(temp, { flags: 'wx' }));
      await writeFile(`${temp}.meta`, JSON.stringify({ contentType: type, expires: Number(expires) }));
      await rename(`${temp}.meta`, `${path}.meta.json`);
      await rename(temp, path);
    } catch (error) {
      await Promise.all([rm(temp, { force: true }), rm(`${temp}.meta`, { force: true })]);
      throw error;
    }
  }

  /** The stored object for a signed GET. */
  async open(objectName: string, params: BlobUrlParams): Promise<{ info: BlobInfo; body: Readable }> {
    this.verify('GET', objectName, params, '', '');
    const info = await this.stat(objectName);
    if (!info) {
      throw new BlobRequestError(404, 'no such object');
    }
    return { info, body: createReadStream(this.path(objectName)) };
  }

  private verify(method: string, objectName: string, params: BlobUrlParams, type: string, max: string): void {
    const { expires = '', sig = '' } = params;
    const expected = Buffer.from(this.sign(method, objectName, type, max, expires));
    const given = Buffer.from(sig);
    if (!OBJECT_NAME.test(objectName) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new BlobRequestError(403, 'the URL signature is invalid');
    }
    if (Number(expires) * 1000 < Date.now()) {
      throw new BlobRequestError(403, 'the URL has expired');
    }
  }

  private sign(method: string, objectName: string, type: string, max: string, expires: string): string {
    return createHmac('sha256', this.options.secret)
      .update([method, objectName, type, max, expires].join('\n'))
      .digest('base64url');
  }

  private url(objectName: string, params: Record<string, string>): string {
    return `${this.options.publicUrl}/v1/blobs/${encodeURIComponent(objectName)}?${new URLSearchParams(params).toString()}`;
  }

  private path(objectName: string): string {
    const root = resolve(this.options.dir);
    const path = resolve(join(root, objectName));
    if (!OBJECT_NAME.test(objectName) || !path.startsWith(root + sep)) {
      throw new BlobRequestError(404, 'no such object');
    }
    return path;
  }
}

function limitBytes(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(piece: Buffer, _encoding, done) {
      seen += piece.length;
      done(
        seen > limit ? new BlobRequestError(413, `the body is larger than the ${limit} bytes signed for`) : null,
        piece,
      );
    },
  });
}
