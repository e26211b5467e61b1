import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type StoreKind = 'embedded' | 'memory' | 'datastore';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Where the app's own files (index.yaml) live: the folder above src/ or dist/. */
export const APP_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every setting picfeed reads, validated once at start-up and injected where needed. */
export class AppConfig {
  readonly port!: number;
  readonly store!: StoreKind;
  readonly dataDir!: string;
  readonly googleCloudProject?: string;
  readonly datastoreEmulatorHost?: string;
  readonly datastoreNamespace?: string;
  readonly datastoreTimeoutMs!: number;
  readonly indexFile!: string;
  /** The built web app (web/dist) served at `/`; not a setting: `npm run build` writes it beside the server. */
  readonly webDir!: string;
  readonly logLevel!: LogLevel;
  readonly shutdownGraceMs!: number;
  readonly embeddedFsync!: boolean;
  /** OAuth client ids whose Google ID tokens are accepted (token audience). */
  readonly googleClientIds!: readonly string[];
  /** Where Google's token-signing certificates are fetched (PEM format); only tests point it elsewhere. */
  readonly googleCertsUrl!: string;
  /** Verified Google emails (lower case) whose owners may list reports, delete anything and suspend users. */
  readonly adminEmails!: readonly string[];
  /** The dev issuer: POST /v1/auth/dev-token mints tokens for anyone. Never on in production. */
  readonly devSignIn!: boolean;
  /** Followers per batch before it closes (a post fans out one receiver per batch). */
  readonly followerBatchSize!: number;
  /** Likers per batch before it closes. */
  readonly likerBatchSize!: number;
  /** Cloud Storage bucket for uploads; without it blobs live in a local folder served by the app. */
  readonly gcsBucket?: string;
  /** Public bucket the processed images (variants, avatars) are written to and served from; never GCS_BUCKET. */
  readonly gcsMediaBucket?: string;
  /** Public base URL of the processed images (a CDN): image URLs are base + object name. */
  readonly mediaBaseUrl?: string;
  readonly uploadMaxBytes!: number;
  /** Images decoded at once per instance; further publishes wait their turn, so memory stays bounded. */
  readonly imageDecodeConcurrency!: number;
  /** Where background work runs: a queue in the store drained in process, or Cloud Tasks (App Engine). */
  readonly taskQueue!: 'inprocess' | 'cloudtasks';
  /** The Cloud Tasks location of the queues (`gcloud tasks queues` / queue.yaml), with TASK_QUEUE=cloudtasks. */
  readonly cloudTasksLocation?: string;
  /** Running on App Engine (GAE_ENV, set by the platform): only there do its task and cron headers prove the caller. */
  readonly onAppEngine!: boolean;
  /** Web origins allowed by CORS (the React app); none: no cross-origin access. */
  readonly corsOrigins!: readonly string[];
  /** This API's own public URL, for the upload and read URLs of the local blob folder. */
  readonly publicUrl!: string;
  /** Writes (POST, PUT, PATCH, DELETE) one user may make per minute on one instance, in bursts of as many. */
  readonly writeRateLimit!: number;
  /** Reads (GET, HEAD) one user, or one address on the public blob routes, may make per minute on one instance. */
  readonly readRateLimit!: number;
  /** How long a client may take to send a request's headers. */
  readonly httpHeadersTimeoutMs!: number;
  /** How long a client may take to send a JSON body (at most 64 kB). */
  readonly httpBodyTimeoutMs!: number;
  /** How long a client may take to send a whole request, body included (local blob uploads are the largest). */
  readonly httpRequestTimeoutMs!: number;
  /** How long an idle kept-alive connection stays open. */
  readonly httpKeepAliveTimeoutMs!: number;
}

/** A setting with a bad value; main prints its message as the one line the process dies with. */
export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env, cwd = process.cwd()): AppConfig {
  const store = oneOf(env, 'STORE', ['embedded', 'memory', 'datastore'], 'embedded');
  const emulatorHost = optional(env, 'DATASTORE_EMULATOR_HOST');
  if (emulatorHost !== undefined && !/^[\w.-]+:\d{1,5}$|^\[[\d:a-f]+\]:\d{1,5}$/i.test(emulatorHost)) {
    throw new ConfigError(`DATASTORE_EMULATOR_HOST must be host:port (e.g. 127.0.0.1:8081), got "${emulatorHost}"`);
  }
  const project = optional(env, 'GOOGLE_CLOUD_PROJECT');
  if (project !== undefined && !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(project)) {
    throw new ConfigError(`GOOGLE_CLOUD_PROJECT must be a Google Cloud project id, got "${project}"`);
  }
  if (store === 'datastore' && project === undefined && emulatorHost === undefined) {
    throw new ConfigError('GOOGLE_CLOUD_PROJECT is required with STORE=datastore (or set DATASTORE_EMULATOR_HOST)');
  }
  const namespace = optional(env, 'DATASTORE_NAMESPACE');
  if (namespace !== undefined && !/^[A-Za-z0-9._-]{1,100}$/.test(namespace)) {
    throw new ConfigError(`DATASTORE_NAMESPACE must be 1-100 letters, digits, ".", "_" or "-", got "${namespace}"`);
  }
  const devSignIn = boolean(env, 'DEV_SIGN_IN', store !== 'datastore');
  if (devSignIn && store === 'datastore' && !boolean(env, 'DEV_SIGN_IN_FORCE', false)) {
    throw new ConfigError(
      'DEV_SIGN_IN=true with STORE=datastore lets anyone sign in as anyone; set DEV_SIGN_IN_FORCE=true to allow it (load tests only)',
    );
  }
  const googleClientIds = list(optional(env, 'GOOGLE_CLIENT_IDS'));
  if (googleClientIds.some((id) => !/^[\w.-]{1,200}$/.test(id))) {
    throw new ConfigError(
      `GOOGLE_CLIENT_IDS must be a comma-separated list of OAuth client ids, got "${env.GOOGLE_CLIENT_IDS}"`,
    );
  }
  if (googleClientIds.length === 0 && !devSignIn) {
    throw new ConfigError('GOOGLE_CLIENT_IDS is required when DEV_SIGN_IN is off (nobody could sign in)');
  }
  // The emulator is local (tests run admins on it); Cloud Datastore is production data.
  if (devSignIn && store === 'datastore' && emulatorHost === undefined && optional(env, 'ADMIN_EMAILS') !== undefined) {
    throw new ConfigError(
      'ADMIN_EMAILS with DEV_SIGN_IN on Cloud Datastore would let anyone mint an admin token; turn one of them off',
    );
  }
  const port = integer(env, 'PORT', 8080, 1, 65535);
  return Object.assign(new AppConfig(), {
    port,
    store,
    dataDir: absolute(optional(env, 'DATA_DIR') ?? './.data', cwd),
    googleCloudProject: project ?? (emulatorHost ? 'picfeed-local' : undefined),
    datastoreEmulatorHost: emulatorHost,
    datastoreNamespace: namespace,
    datastoreTimeoutMs: integer(env, 'DATASTORE_TIMEOUT_MS', 10_000, 100, 120_000),
    indexFile: absolute(optional(env, 'INDEX_FILE') ?? resolve(APP_ROOT, 'index.yaml'), cwd),
    webDir: resolve(APP_ROOT, 'web/dist'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'], 'info'),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    embeddedFsync: boolean(env, 'EMBEDDED_FSYNC', true),
    googleClientIds,
    googleCertsUrl: url(env, 'GOOGLE_CERTS_URL', 'https://www.googleapis.com/oauth2/v1/certs'),
    devSignIn,
    adminEmails: adminEmails(env),
    // A batch's ids are also a receiver's indexed list: 5,000 keeps it under 20,000 index entries per entity.
    followerBatchSize: integer(env, 'FOLLOWER_BATCH_SIZE', 5_000, 1, 5_000),
    likerBatchSize: integer(env, 'LIKER_BATCH_SIZE', 5_000, 1, 5_000),
    gcsBucket: bucket(env, 'GCS_BUCKET'),
    gcsMediaBucket: mediaBucket(env),
    mediaBaseUrl: optional(env, 'MEDIA_BASE_URL') && url(env, 'MEDIA_BASE_URL', ''),
    uploadMaxBytes: integer(env, 'UPLOAD_MAX_BYTES', 10 * 1024 * 1024, 1, 100 * 1024 * 1024),
    imageDecodeConcurrency: integer(env, 'IMAGE_DECODE_CONCURRENCY', availableParallelism(), 1, 64),
    ...taskQueue(env, project),
    corsOrigins: origins(env),
    publicUrl: url(env, 'PUBLIC_URL', `http://localhost:${port}`).replace(/\/+$/, ''),
    writeRateLimit: integer(env, 'WRITE_RATE_LIMIT', 120, 1, 1_000_000),
    readRateLimit: integer(env, 'READ_RATE_LIMIT', 1_200, 1, 1_000_000),
    ...httpTimeouts(env),
  });
}

function httpTimeouts(env: Env) {
  const headers = integer(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const body = integer(env, 'HTTP_BODY_TIMEOUT_MS', 10_000, 100, 600_000);
  const request = integer(env, 'HTTP_REQUEST_TIMEOUT_MS', 120_000, 100, 3_600_000);
  const keepAlive = integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000);
  if (request < headers || request < body) {
    throw new ConfigError(
      `HTTP_REQUEST_TIMEOUT_MS (${request}) must be at least HTTP_HEADERS_TIMEOUT_MS and HTTP_BODY_TIMEOUT_MS`,
    );
  }
  return {
    httpHeadersTimeoutMs: headers,
    httpBodyTimeoutMs: body,
    httpRequestTimeoutMs: request,
    httpKeepAliveTimeoutMs: keepAlive,
  };
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = optional(env, name);
  if (raw === undefined) {
    return fallback;
  }
  if (!allowed.includes(raw as T)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = optional(env, name);
  if (raw === undefined) {
    return fallback;
  }
  if (raw !== 'true' && raw !== 'false') {
    throw new ConfigError(`${name} must be true or false, got "${raw}"`);
  }
  return raw === 'true';
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function url(env: Env, name: string, fallback: string): string {
  const raw = optional(env, name) ?? fallback;
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw;
}

function bucket(env: Env, name: string): string | undefined {
  const raw = optional(env, name);
  if (raw !== undefined && !/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(raw)) {
    throw new ConfigError(`${name} must be a Cloud Storage bucket name, got "${raw}"`);
  }
  return raw;
}

function taskQueue(env: Env, project: string | undefined) {
  const kind = oneOf(env, 'TASK_QUEUE', ['inprocess', 'cloudtasks'], 'inprocess');
  const location = optional(env, 'CLOUD_TASKS_LOCATION');
  if (kind === 'cloudtasks' && (location === undefined || project === undefined)) {
    throw new ConfigError(
      'TASK_QUEUE=cloudtasks needs CLOUD_TASKS_LOCATION (e.g. us-central1) and GOOGLE_CLOUD_PROJECT',
    );
  }
  if (location !== undefined && !/^[a-z]+-[a-z]+\d+$/.test(location)) {
    throw new ConfigError(`CLOUD_TASKS_LOCATION must be a region like us-central1, got "${location}"`);
  }
  return { taskQueue: kind, cloudTasksLocation: location, onAppEngine: optional(env, 'GAE_ENV') !== undefined };
}

function mediaBucket(env: Env): string | undefined {
  const media = bucket(env, 'GCS_MEDIA_BUCKET');
  const uploads = bucket(env, 'GCS_BUCKET');
  if (media !== undefined && uploads === undefined) {
    throw new ConfigError('GCS_MEDIA_BUCKET needs GCS_BUCKET: without it every image lives in the local folder');
  }
  // The media bucket is public; the uploads bucket holds originals with their GPS positions and must not be.
  if (uploads !== undefined && (media === undefined || media === uploads)) {
    throw new ConfigError(
      'GCS_BUCKET needs GCS_MEDIA_BUCKET, another bucket: processed images are public there, originals stay private',
    );
  }
  return media;
}

function adminEmails(env: Env): string[] {
  const values = list(optional(env, 'ADMIN_EMAILS')).map((value) => value.toLowerCase());
  const bad = values.find((value) => !/^[^@\s,]+@[^@\s,]+$/.test(value));
  if (bad !== undefined) {
    throw new ConfigError(`ADMIN_EMAILS must be a comma-separated list of email addresses, got "${bad}"`);
  }
  return values;
}

function origins(env: Env): string[] {
  const values = list(optional(env, 'CORS_ORIGINS'));
  const bad = values.find((value) => !/^https?:\/\/[^/\s]+$/.test(value));
  if (bad !== undefined) {
    throw new ConfigError(
      `CORS_ORIGINS must be a comma-separated list of origins like https://app.example.com, got "${bad}"`,
    );
  }
  return values;
}

function absolute(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}
