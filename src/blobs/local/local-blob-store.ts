import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { Dirent } from 'node:fs';
import { type FileHandle, link, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError, ErrorCode } from '../../common/errors.js';
import { ConfigError } from '../../config/app-config.js';
import {
  BlobStore,
  IMMUTABLE_CACHE_CONTROL,
  type BlobInfo,
  type SignedUpload,
  type UploadGrant,
} from '../blob-store.js';

const STATUS_CODES = {
  403: ErrorCode.BlobUrlInvalid,
  404: ErrorCode.BlobNotFound,
  412: ErrorCode.UploadUrlUsed,
  413: ErrorCode.UploadTooLarge,
} as const;

/** Why a request to a local blob URL is refused, as Cloud Storage would answer it. */
function refused(status: keyof typeof STATUS_CODES, message: string): DomainError {
  return new DomainError(STATUS_CODES[status], message);
}

/** What a signed local URL carries in its query string. */
export interface BlobUrlParams {
  readonly type?: string;
  readonly max?: string;
  readonly expires?: string;
  readonly sig?: string;
}

const OBJECT_NAME = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
/** Originals: written through signed PUTs, read by the app, never served. */
const UPLOADS_PREFIX = 'uploads/';
/** The `expires` a media URL is signed with: it never expires, so it is the same URL in every response. */
const NEVER = 'never';
/** What a GET answers with besides the bytes. */
export interface ServedBlob extends BlobInfo {
  readonly cacheControl: string;
  readonly etag: string;
}

interface BlobMeta {
  readonly contentType: string;
  readonly cacheControl?: string;
  readonly etag?: string;
}
const SECRET_BYTES = 32;
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

  /**
   * The folder's signing secret, created on first use (0600) so URLs stay valid across restarts. An empty or short
   * file is refused, naming it: a guessable key would let anyone sign URLs.
   */
  static async loadSecret(file: string): Promise<Buffer> {
    try {
      return checkedSecret(file, await readFile(file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
    }
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, randomBytes(SECRET_BYTES), { mode: 0o600, flag: 'wx' }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') {
          throw error;
        }
      },
    );
    return checkedSecret(file, await readFile(file));
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

  mediaUrl(objectName: string): string {
    return this.url(objectName, { sig: this.sign('GET', objectName, '', '', NEVER) });
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

  async read(objectName: string, maxBytes: number): Promise<Buffer | 'missing' | 'too_large'> {
    let file: FileHandle;
    try {
      file = await open(this.path(objectName), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return 'missing';
      }
      throw error;
    }
    try {
      // The size of the file opened: a rename replacing the name meanwhile cannot make it read more.
      const { size } = await file.stat();
      return size > maxBytes ? 'too_large' : await file.readFile();
    } finally {
      await file.close();
    }
  }

  async writeMedia(objectName: string, bytes: Buffer, contentType: string): Promise<void> {
    const path = this.path(objectName);
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
    const meta: BlobMeta = { contentType, cacheControl: IMMUTABLE_CACHE_CONTROL, etag };
    await mkdir(dirname(path), { recursive: true });
    try {
      await writeFile(temp, bytes);
      await writeFile(`${temp}.meta`, JSON.stringify(meta));
      await rename(`${temp}.meta`, `${path}.meta.json`);
      await rename(temp, path);
    } finally {
      await Promise.all([rm(temp, { force: true }), rm(`${temp}.meta`, { force: true })]);
    }
  }

  deleteMedia(objectName: string): Promise<void> {
    return this.delete(objectName);
  }

  /**
   * Walks the prefix's folders (a local folder has no lifecycle rules, so the app sweeps it); temporary files of
   * uploads that broke off are removed on the way.
   */
  async listStale(prefix: string, before: Date, limit: number): Promise<string[]> {
    const root = resolve(this.options.dir);
    let entries: Dirent[];
    try {
      entries = await readdir(this.path(prefix.replace(/\/+$/, '')), { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return [];
      }
      throw error;
    }
    const stale: string[] = [];
    // One file at a time: a background sweep must not take the file handles requests need.
    for (const entry of entries.filter((item) => item.isFile())) {
      const path = join(entry.parentPath, entry.name);
      const info = await stat(path).catch(() => undefined);
      if (!info || info.mtime >= before) {
        continue;
      }
      if (/\.tmp(\.meta)?$/.test(entry.name)) {
        await rm(path, { force: true });
      } else if (!entry.name.endsWith('.meta.json') && stale.length < limit) {
        stale.push(relative(root, path).split(sep).join('/'));
      }
    }
    return stale;
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
      throw new DomainError(ErrorCode.BlobTypeMismatch, `Content-Type must be ${type}, as signed`);
    }
    const limit = Number(max);
    if (request.contentLength !== undefined && request.contentLength > limit) {
      throw refused(413, `the body is larger than the ${limit} bytes signed for`);
    }
    const path = this.path(objectName);
    // Only if absent, as Cloud Storage's `x-goog-if-generation-match: 0`: a signed URL cannot replace what it wrote.
    if (await exists(path)) {
      throw refused(412, 'this upload URL was used already');
    }
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await mkdir(dirname(path), { recursive: true });
    try {
      await pipeline(request.body, limitBytes(limit), createWriteStream(temp, { flags: 'wx' }));
      await writeFile(`${temp}.meta`, JSON.stringify({ contentType: type, expires: Number(expires) }));
      // A link fails when the name exists: of two PUTs racing on one URL, exactly one wins.
      await link(temp, path).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'EEXIST' ? refused(412, 'this upload URL was used already') : error;
      });
      await rename(`${temp}.meta`, `${path}.meta.json`);
    } finally {
      await Promise.all([rm(temp, { force: true }), rm(`${temp}.meta`, { force: true })]);
    }
  }

  /**
   * The stored object for a signed GET, opened before anything is answered: a delete racing with the request
   * either comes first (404) or leaves the open file readable to the end. The stream closes the file when it ends,
   * fails or is destroyed (the client went away).
   */
  async open(objectName: string, params: BlobUrlParams): Promise<{ info: ServedBlob; body: Readable }> {
    this.verify('GET', objectName, params, '', '');
    if (objectName.startsWith(UPLOADS_PREFIX)) {
      // Whatever signed it: an original may carry GPS and camera data, only its processed variants are served.
      throw refused(404, 'no such object');
    }
    const path = this.path(objectName);
    let handle: FileHandle | undefined;
    try {
      const meta = JSON.parse(await readFile(`${path}.meta.json`, 'utf8')) as BlobMeta;
      handle = await open(path, 'r');
      const { size, mtimeMs } = await handle.stat();
      const info: ServedBlob = {
        size,
        contentType: meta.contentType,
        cacheControl: meta.cacheControl ?? 'private, max-age=3600',
        etag: meta.etag ?? `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`,
      };
      return { info, body: handle.createReadStream() };
    } catch (error) {
      await handle?.close();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw refused(404, 'no such object');
      }
      throw error;
    }
  }

  private verify(method: string, objectName: string, params: BlobUrlParams, type: string, max: string): void {
    // A GET without `expires` is a media URL, signed as never expiring; a PUT always expires.
    const expires = params.expires ?? (method === 'GET' ? NEVER : '');
    const expected = Buffer.from(this.sign(method, objectName, type, max, expires));
    const given = Buffer.from(params.sig ?? '');
    if (!OBJECT_NAME.test(objectName) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw refused(403, 'the URL signature is invalid');
    }
    if (expires !== NEVER && !(Number(expires) * 1000 >= Date.now())) {
      throw refused(403, 'the URL has expired');
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
      throw refused(404, 'no such object');
    }
    return path;
  }
}

function limitBytes(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(piece: Buffer, _encoding, done) {
      seen += piece.length;
      done(seen > limit ? refused(413, `the body is larger than the ${limit} bytes signed for`) : null, piece);
    },
  });
}

function checkedSecret(file: string, secret: Buffer): Buffer {
  if (secret.length < SECRET_BYTES) {
    throw new ConfigError(
      `${file} holds ${secret.length} bytes, a signing key needs at least ${SECRET_BYTES}: delete it to make a new one`,
    );
  }
  return secret;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return false;
    }
    throw error;
  }
}
