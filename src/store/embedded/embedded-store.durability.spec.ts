import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '../store.errors.js';
import type { Key } from '../store.types.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { EmbeddedStore } from './embedded-store.js';
import { DirectoryLock } from './sqlite-database.js';
import { sourceScriptArgs } from './writer-thread.js';

/** A separate Node process running the store from its TypeScript sources: `write` commits until killed. */
const CHILD = `
const { EmbeddedStore } = await import(process.env.STORE_MODULE);
const store = await EmbeddedStore.open({ dataDir: process.env.DATA_DIR, indexes: [], fsync: process.env.FSYNC === 'true' });
process.stdout.write('ready ' + process.pid + '\\n');
for (let i = 0; process.env.MODE === 'write'; i++) {
  await store.upsert([{ key: { kind: 'Item', name: 'item-' + i }, data: { n: i, at: new Date(i) } }]);
  process.stdout.write(i + '\\n');
}
setInterval(() => undefined, 1000);
`;

interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  waitFor(predicate: (lines: string[]) => boolean): Promise<void>;
  kill(): Promise<void>;
}

/** `namespaced`: in a PID namespace of its own, as in a container, where every restart gets the same PID. */
function startChild(dataDir: string, mode: 'write' | 'hold', fsync = true, namespaced = false): Child {
  const node = [process.execPath, ...sourceScriptArgs(CHILD)];
  const [command, ...args] = namespaced ? ['unshare', '--pid', '--fork', '--kill-child', ...node] : node;
  const child = spawn(command, args, {
    env: {
      ...process.env,
      STORE_MODULE: new URL('./embedded-store.ts', import.meta.url).href,
      DATA_DIR: dataDir,
      MODE: mode,
      FSYNC: String(fsync),
    },
  });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    process: child,
    lines,
    waitFor: (predicate) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(lines)) {
            child.stdout.off('data', check);
            resolve();
          } else if (child.exitCode !== null) {
            reject(new Error(`child exited: ${stderr}`));
          }
        };
        child.stdout.on('data', check);
        child.once('exit', check);
        check();
      }),
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function lockIsFree(dataDir: string): boolean {
  try {
    DirectoryLock.acquire(dataDir).release();
    return true;
  } catch {
    return false;
  }
}

describe('EmbeddedStore durability', () => {
  let dataDir: string;
  let sut: EmbeddedStore | undefined;
  let child: Child | undefined;

  const item = (name: string): Key => ({ kind: 'Item', name });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'picfeed-embedded-'));
  });

  afterEach(async () => {
    await child?.kill();
    await sut?.close();
    child = undefined;
    sut = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([true, false])(
    'should keep every acknowledged write of a process killed with SIGKILL (fsync %s)',
    async (fsync) => {
      child = startChild(dataDir, 'write', fsync);
      const acknowledged = () => child?.lines.filter((line) => /^\d+$/.test(line)) ?? [];
      await child.waitFor(() => acknowledged().length >= 300);

      await child.kill();
      const written = acknowledged();
      sut = await EmbeddedStore.open({ dataDir, indexes: [] });
      const found = await sut.get(written.map((n) => item(`item-${n}`)));

      expect(written.length).toBeGreaterThanOrEqual(300);
      expect(found.map((entity) => entity?.data)).toEqual(
        written.map((n) => ({ n: Number(n), at: new Date(Number(n)) })),
      );
    },
    30_000,
  );

  it('should refuse a second opener while the first process is alive, and take the lock over once it is killed', async () => {
    child = startChild(dataDir, 'hold');
    await child.waitFor((lines) => lines.some((line) => line.startsWith('ready')));

    const refused = EmbeddedStore.open({ dataDir, indexes: [] });

    await expect(refused).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(refused).rejects.toThrow(`data directory ${dataDir} is in use by process ${child.process.pid}`);
    await child.kill();
    sut = await EmbeddedStore.open({ dataDir, indexes: [] });
    await expect(sut.ping()).resolves.toBeUndefined();
  }, 30_000);

  it('should refuse a second opener in the same process and admit one after close', async () => {
    sut = await EmbeddedStore.open({ dataDir, indexes: [] });

    await expect(EmbeddedStore.open({ dataDir, indexes: [] })).rejects.toThrow(`in use by process ${process.pid}`);
    await sut.close();
    sut = await EmbeddedStore.open({ dataDir, indexes: [] });
    await expect(sut.ping()).resolves.toBeUndefined();
  });

  it('should find after reopening what earlier commits left, and answer queries from rebuilt indexes', async () => {
    sut = await EmbeddedStore.open({ dataDir, indexes: [] });
    await sut.upsert([
      { key: item('a'), data: { tag: 'x', when: new Date(5) } },
      { key: item('b'), data: { tag: 'x' } },
      { key: item('c'), data: { tag: 'y' } },
    ]);
    await sut.delete([item('b')]);
    await sut.runInTransaction(async (tx) => {
      const [c] = await tx.get([item('c')]);
      tx.upsert([{ key: item('c'), data: { ...c?.data, tag: 'x' } }]);
    });
    await sut.close();

    sut = await EmbeddedStore.open({ dataDir, indexes: [] });
    const found = await sut.get([item('a'), item('b'), item('c')]);
    const tagged = await sut.query({ kind: 'Item', filters: [{ property: 'tag', op: '=', value: 'x' }], limit: 10 });

    expect(found.map((entity) => entity?.data)).toEqual([{ tag: 'x', when: new Date(5) }, undefined, { tag: 'x' }]);
    expect(tagged.entities.map((entity) => entity.key.name)).toEqual(['a', 'c']);
  });

  it("should restart after kill -9 inside a PID namespace, where the new process has the dead one's PID", async () => {
    child = startChild(dataDir, 'write', true, true);
    const acknowledged = () => child?.lines.filter((line) => /^\d+$/.test(line)) ?? [];
    await child.waitFor(() => acknowledged().length >= 200);
    const firstPid = child.lines.find((line) => line.startsWith('ready'));
    await child.kill();
    const written = acknowledged();
    // unshare has exited; the process in the namespace is killed with it, a moment later.
    await waitFor(() => lockIsFree(dataDir), { what: 'the killed process to let go of the lock', timeoutMs: 5_000 });

    child = startChild(dataDir, 'hold', true, true);
    await child.waitFor((lines) => lines.some((line) => line.startsWith('ready')));
    const secondPid = child.lines.find((line) => line.startsWith('ready'));
    await child.kill();
    await waitFor(() => lockIsFree(dataDir), { what: 'the second process to let go of the lock', timeoutMs: 5_000 });
    sut = await EmbeddedStore.open({ dataDir, indexes: [] });
    const found = await sut.get(written.map((n) => item(`item-${n}`)));

    expect(secondPid).toBe(firstPid);
    expect(found.filter((entity) => entity === undefined)).toHaveLength(0);
  }, 30_000);
});
