import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '../store.errors.js';
import type { Key } from '../store.types.js';
import { EmbeddedStore } from './embedded-store.js';

/** A separate Node process running the store from its TypeScript sources: `write` commits until killed. */
const CHILD = `
import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !/^[.][.]?[/].*[.]js$/.test(specifier)) throw error;
      return nextResolve(specifier.slice(0, -3) + '.ts', context);
    }
  },
});
const { EmbeddedStore } = await import(process.env.STORE_MODULE);
const store = await EmbeddedStore.open({ dataDir: process.env.DATA_DIR, indexes: [], fsync: process.env.FSYNC === 'true' });
process.stdout.write('ready\\n');
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

function startChild(dataDir: string, mode: 'write' | 'hold', fsync = true): Child {
  const child = spawn(
    process.execPath,
    ['--experimental-transform-types', '--disable-warning=ExperimentalWarning', '--input-type=module', '-e', CHILD],
    {
      env: {
        ...process.env,
        STORE_MODULE: new URL('./embedded-store.ts', import.meta.url).href,
        DATA_DIR: dataDir,
        MODE: mode,
        FSYNC: String(fsync),
      },
    },
  );
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
    await child.waitFor((lines) => lines.includes('ready'));

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

  it('should take over a lock file left by a process that no longer exists', async () => {
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(join(dataDir, 'LOCK'), `${gone.pid}\n`);

    sut = await EmbeddedStore.open({ dataDir, indexes: [] });

    expect(readFileSync(join(dataDir, 'LOCK'), 'utf8').trim()).toBe(String(process.pid));
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

  it('should drop a torn last record and go on appending after the intact ones', async () => {
    const log = join(dataDir, 'store.wal');
    sut = await EmbeddedStore.open({ dataDir, indexes: [] });
    await sut.upsert([{ key: item('kept'), data: {} }]);
    const intact = statSync(log).size;
    await sut.upsert([{ key: item('torn'), data: { long: 'x'.repeat(100) } }]);
    await sut.close();
    truncateSync(log, statSync(log).size - 10);

    sut = await EmbeddedStore.open({ dataDir, indexes: [] });
    await sut.upsert([{ key: item('later'), data: {} }]);
    await sut.close();
    appendFileSync(log, Buffer.from([0, 0, 0, 9, 1, 2]));
    sut = await EmbeddedStore.open({ dataDir, indexes: [] });
    const found = await sut.get([item('kept'), item('torn'), item('later')]);

    expect(found.map((entity) => entity?.key.name)).toEqual(['kept', undefined, 'later']);
    expect(statSync(log).size).toBeGreaterThan(intact);
  });

  it('should compact the log while commits go on, keeping the latest version of every entity', async () => {
    const log = join(dataDir, 'store.wal');
    sut = await EmbeddedStore.open({ dataDir, indexes: [], compactionMinBytes: 16 << 10 });
    const store = sut;

    for (let round = 0; round < 100; round++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.upsert([{ key: item(`i${i}`), data: { round, pad: 'p'.repeat(50) } }]),
        ),
      );
    }
    const size = statSync(log).size;
    await sut.close();
    sut = await EmbeddedStore.open({ dataDir, indexes: [] });
    const found = await sut.get(Array.from({ length: 20 }, (_, i) => item(`i${i}`)));

    expect(size).toBeLessThan(48 << 10);
    expect(found.map((entity) => entity?.data.round)).toEqual(Array(20).fill(99));
  });

  it('should compact an oversized log when opening', async () => {
    const log = join(dataDir, 'store.wal');
    sut = await EmbeddedStore.open({ dataDir, indexes: [], fsync: false });
    for (let round = 0; round < 200; round++) {
      await sut.upsert([{ key: item('same'), data: { round } }]);
    }
    await sut.close();
    const before = statSync(log).size;

    sut = await EmbeddedStore.open({ dataDir, indexes: [], compactionMinBytes: 1024 });

    expect(statSync(log).size).toBeLessThan(before / 10);
    expect((await sut.get([item('same')]))[0]?.data).toEqual({ round: 199 });
  });
});
