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
  readonly logLevel!: LogLevel;
  readonly shutdownGraceMs!: number;
  readonly embeddedFsync!: boolean;
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
  return Object.assign(new AppConfig(), {
    port: integer(env, 'PORT', 8080, 1, 65535),
    store,
    dataDir: absolute(optional(env, 'DATA_DIR') ?? './.data', cwd),
    googleCloudProject: project ?? (emulatorHost ? 'picfeed-local' : undefined),
    datastoreEmulatorHost: emulatorHost,
    datastoreNamespace: namespace,
    datastoreTimeoutMs: integer(env, 'DATASTORE_TIMEOUT_MS', 10_000, 100, 120_000),
    indexFile: absolute(optional(env, 'INDEX_FILE') ?? resolve(APP_ROOT, 'index.yaml'), cwd),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'], 'info'),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    embeddedFsync: boolean(env, 'EMBEDDED_FSYNC', true),
  });
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

function absolute(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}
