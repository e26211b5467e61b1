import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Key } from '../store.types.js';
import { EmbeddedStore } from './embedded-store.js';
import { ReadCache } from './read-cache.js';
import type { StoredEntity } from './stored-entity.js';

const key = (name: string): Key => ({ kind: 'Thing', name });

describe.each([
  ['in memory', false],
  ['on disk (writer thread)', true],
])('EmbeddedStore read cache, %s', (_name, onDisk) => {
  let sut: EmbeddedStore;
  let dataDir: string | undefined;

  beforeEach(async () => {
    dataDir = onDisk ? mkdtempSync(join(tmpdir(), 'picfeed-read-cache-')) : undefined;
    sut = await EmbeddedStore.open({ dataDir, fsync: false, indexes: [] });
  });

  afterEach(async () => {
    await sut.close();
    if (dataDir) {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('should give the latest write after a read kept the row, its absence or its deletion', async () => {
    await sut.upsert([{ key: key('a'), data: { n: 1 } }]);
    expect((await sut.get([key('a'), key('b')])).map((e) => e?.data.n)).toEqual([1, undefined]);

    await sut.upsert([
      { key: key('a'), data: { n: 2 } },
      { key: key('b'), data: { n: 1 } },
    ]);
    expect((await sut.get([key('a'), key('b')])).map((e) => e?.data.n)).toEqual([2, 1]);

    await sut.delete([key('a')]);
    await sut.runInTransaction(async (tx) => {
      const [b] = await tx.get([key('b')]);
      tx.upsert([{ key: key('b'), data: { n: Number(b?.data.n) + 1 } }]);
    });
    expect((await sut.get([key('a'), key('b')])).map((e) => e?.data.n)).toEqual([undefined, 2]);
    const [{ entities }] = [await sut.query({ kind: 'Thing', limit: 10 })];
    expect(entities.map((e) => [e.key.name, e.data.n])).toEqual([['b', 2]]);
  });

  it('should not let a caller change what later reads get', async () => {
    await sut.upsert([{ key: key('a'), data: { n: 1, list: ['x'], at: new Date(0) } }]);
    const [first] = await sut.get([key('a')]);
    first!.data.n = 99;
    (first!.data.list as string[]).push('y');
    (first!.data.at as Date).setTime(5);

    const [again] = await sut.get([key('a')]);
    expect(again!.data).toEqual({ n: 1, list: ['x'], at: new Date(0) });
  });

  it('should count 200 increments of 4 concurrent writers exactly while reads only ever see whole commits, never older ones', async () => {
    // Each commit moves two rows to the same value: a read that mixed a kept row with a newer one would see them differ.
    await sut.upsert([key('a'), key('b')].map((k) => ({ key: k, data: { n: 0 } })));
    let done = false;
    const seen: number[] = [];
    const reader = (async () => {
      while (!done) {
        const [a, b] = await sut.get([key('a'), key('b')]);
        expect(a?.data.n).toBe(b?.data.n);
        seen.push(Number(a?.data.n));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    // 4 writers of 50 increments each, all on one row: on a loaded machine a transaction may lose more than the
    // default 8 times, and giving up is not what this tests (reads are), so they keep trying.
    try {
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let i = 0; i < 50; i++) {
            await sut.runInTransaction(
              async (tx) => {
                const [a] = await tx.get([key('a')]);
                const n = Number(a?.data.n) + 1;
                tx.upsert([key('a'), key('b')].map((k) => ({ key: k, data: { n } })));
              },
              { maxAttempts: 1000 },
            );
          }
        }),
      );
    } finally {
      done = true;
      await reader;
    }

    expect((await sut.get([key('a'), key('b')])).map((e) => e?.data.n)).toEqual([200, 200]);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((n, i) => i === 0 || n >= seen[i - 1])).toBe(true);
  });
});

describe('ReadCache', () => {
  const row = (id: string): StoredEntity => ({ id, key: key(id), data: {}, excluded: [], version: 1 });

  it('should hold at most its capacity, keeping rows read again over the others', () => {
    const sut = new ReadCache(4);
    ['a', 'b'].forEach((id) => sut.keep(id, row(id)));
    ['c', 'd'].forEach((id) => sut.keep(id, row(id)));
    expect(sut.get('a')?.id).toBe('a');
    ['e', 'f'].forEach((id) => sut.keep(id, row(id)));

    expect(sut.size).toBeLessThanOrEqual(4);
    expect(sut.get('a')?.id).toBe('a');
    expect(sut.get('b')).toBeUndefined();
  });

  it('should neither serve nor keep a row while a commit writing it is in flight', () => {
    const sut = new ReadCache(10);
    sut.keep('a', row('a'));
    sut.keep('b', undefined);
    sut.writeStarts(['a', 'b', 'a']);
    sut.keep('a', row('a'));
    expect(sut.get('a')).toBeUndefined();
    expect(sut.get('b')).toBeUndefined();

    sut.writeEnds(['a', 'b']);
    sut.keep('a', row('a'));
    expect(sut.get('a')).toBeUndefined();
    sut.writeEnds(['a']);
    sut.keep('a', row('a'));
    sut.keep('b', undefined);
    expect(sut.get('a')?.id).toBe('a');
    expect(sut.get('b')).toBeNull();
  });
});
