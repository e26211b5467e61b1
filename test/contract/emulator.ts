import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

// Neither relative imports nor import.meta here: jest's global setup loads this as CommonJS without its module
// mapper, test files load it as ESM, and plain-Node scripts import the .ts itself (type stripping).

/** The production indexes plus the ones only the contract tests need, relative to the project root. */
export const INDEX_FILES = ['index.yaml', 'test/contract/index.contract.yaml'];

const LEASH = 'exec 3<&0; "$0" "$@" & emulator=$!; { read -r _ <&3; kill -TERM 0; } & wait "$emulator"; kill -TERM 0';

export interface EmulatorOptions {
  /** The project root; the current directory by default (npm scripts run there). */
  readonly rootDir?: string;
  /** index.yaml files, relative to rootDir, merged into the one the emulator enforces (--require_indexes). */
  readonly indexFiles?: readonly string[];
  readonly startTimeoutMs?: number;
}

/** A running Datastore emulator (Firestore in Datastore mode) on 127.0.0.1. */
export interface Emulator {
  /** host:port, for DatastoreStore's apiEndpoint or DATASTORE_EMULATOR_HOST. */
  readonly host: string;
  /** Empties every namespace: only while nothing else (another test file) is using this emulator. */
  reset(): Promise<void>;
  /** Freezes the emulator (SIGSTOP to its process group): it keeps its port and data but answers nothing. */
  pause(): void;
  /** Lets a paused emulator run again. */
  resume(): void;
  /** Kills the emulator's process group and removes its files. */
  stop(): Promise<void>;
}

/** The gcloud emulator script, or undefined when the Cloud SDK or its emulator component is missing. */
export function findEmulator(): string | undefined {
  const found = spawnSync('gcloud', ['info', '--format=value(installation.sdk_root)'], { encoding: 'utf8' });
  const script = join(found.stdout?.trim() ?? '', 'platform/cloud-datastore-emulator/cloud_datastore_emulator');
  return found.status === 0 && existsSync(script) ? script : undefined;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const script = findEmulator();
  if (!script) {
    throw new Error('Datastore emulator not found: install the Cloud SDK component cloud-datastore-emulator');
  }
  const workDir = mkdtempSync(join(tmpdir(), 'picfeed-emulator-'));
  const indexFile = join(workDir, 'index.yaml');
  const rootDir = options.rootDir ?? process.cwd();
  writeFileSync(indexFile, mergeIndexFiles((options.indexFiles ?? INDEX_FILES).map((file) => resolve(rootDir, file))));
  const dataDir = join(workDir, 'data');
  execFileSync(script, ['create', dataDir], { stdio: 'ignore', env: emulatorEnv() });
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const args = [
    'start',
    '--host=127.0.0.1',
    `--port=${port}`,
    '--store_on_disk=false',
    '--firestore_in_datastore_mode',
  ];
  args.push('--enable_entity_groups=false', '--require_indexes', `--index_file=${indexFile}`, dataDir);
  // A leash: the group leader kills its whole group (the JVM included) when the emulator exits or our end of
  // its stdin closes, so the emulator dies with this process even when teardown never runs.
  const child = spawn('bash', ['-c', LEASH, script, ...args], {
    detached: true,
    env: emulatorEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let outputTail = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8').on('data', (text: string) => (outputTail = (outputTail + text).slice(-4000)));
  }
  const stop = once(() => stopProcess(child).finally(() => rmSync(workDir, { recursive: true, force: true })));
  try {
    await waitUntilReady(host, child, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${outputTail}`, { cause: error });
  }
  return {
    host,
    reset: () => resetEmulator(host),
    pause: () => killGroup(child, 'SIGSTOP'),
    resume: () => killGroup(child, 'SIGCONT'),
    stop,
  };
}

/** POST /reset: empties every namespace, in about 10 ms. */
export async function resetEmulator(host: string): Promise<void> {
  const response = await fetch(`http://${host}/reset`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  if (!response.ok) {
    throw new Error(`emulator reset failed: ${response.status} ${await response.text()}`);
  }
}

function emulatorEnv(): NodeJS.ProcessEnv {
  return { ...process.env, JAVA: 'java -Xmx1g' };
}

/** One index.yaml holding the indexes of all the files; the emulator itself rejects a malformed one. */
function mergeIndexFiles(files: readonly string[]): string {
  const indexes = files.flatMap(
    (file) => (parse(readFileSync(file, 'utf8')) as { indexes?: unknown[] } | null)?.indexes ?? [],
  );
  return stringify({ indexes });
}

async function waitUntilReady(host: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error('the Datastore emulator exited during start-up');
    }
    const body = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.text(),
      () => '',
    );
    if (body.trim() === 'Ok') {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the Datastore emulator did not answer on ${host} within ${timeoutMs} ms`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child, 'SIGCONT');
  child.stdin?.end();
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // The JVM may outlive the group leader by a moment; make sure nothing of the group is left.
  killGroup(child, 'SIGKILL');
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= fn());
}
