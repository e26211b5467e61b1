import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { legacyRecord, writeLegacyFolder } from '../../../test/support/legacy-log.js';
import { StoreUnavailableError } from '../store.errors.js';
import type { Key } from '../store.types.js';
import { EmbeddedStore } from './embedded-store.js';

const item = (name: string): Key => ({ kind: 'Item', name });
const path = (name: string) => ['Item', name];

describe('EmbeddedStore recovery', () => {
  let dataDir: string;
  let sut: EmbeddedStore | undefined;
  let logged: string[];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'picfeed-embedded-'));
    logged = [];
  });

  afterEach(async () => {
    await sut?.close();
    sut = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const open = () =>
    EmbeddedStore.open({
      dataDir,
      indexes: [
        {
          kind: 'Item',
          ancestor: false,
          properties: [
            { name: 'tag', direction: 'asc' },
            { name: 'n', direction: 'desc' },
          ],
        },
      ],
      log: (line) => logged.push(line),
    });

  it('should convert a folder of the log format into the same entities, keep the log aside and say so once', async () => {
    writeLegacyFolder(dataDir, [
      [
        { op: 'put', path: path('a'), data: { tag: 'x', n: 1, at: new Date(5) } },
        { op: 'put', path: path('b'), data: { tag: 'x', n: 2 } },
      ],
      [{ op: 'put', path: path('c'), data: { tag: 'y', n: 3, note: 'kept out' }, excluded: ['note'] }],
      [{ op: 'delete', path: path('b') }],
      [{ op: 'put', path: path('a'), data: { tag: 'x', n: 4, at: new Date(6) } }],
    ]);

    sut = await open();
    const found = await sut.get([item('a'), item('b'), item('c')]);
    const tagged = await sut.query({
      kind: 'Item',
      filters: [{ property: 'tag', op: '=', value: 'x' }],
      orders: [{ property: 'n', direction: 'desc' }],
      limit: 10,
    });
    await sut.close();
    sut = await open();

    expect(found).toEqual([
      { key: item('a'), data: { tag: 'x', n: 4, at: new Date(6) } },
      undefined,
      { key: item('c'), data: { tag: 'y', n: 3, note: 'kept out' }, excludeFromIndexes: ['note'] },
    ]);
    expect(tagged.entities.map((entity) => entity.key.name)).toEqual(['a']);
    expect(logged).toEqual([expect.stringMatching(/converted 4 commits of .*store\.wal\.converted-.* \(2 entities\)/)]);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('store.wal'))).toEqual([
      expect.stringMatching(/^store\.wal\.converted-/),
    ]);
    expect(existsSync(join(dataDir, 'LOCK'))).toBe(false);
  });

  it('should convert the intact commits of a log whose last one a crash cut off', async () => {
    const log = writeLegacyFolder(dataDir, [[{ op: 'put', path: path('kept'), data: {} }]]);
    appendFileSync(
      log,
      legacyRecord([{ op: 'put', path: path('torn'), data: { long: 'x'.repeat(100) } }]).subarray(0, 40),
    );

    sut = await open();

    expect((await sut.get([item('kept'), item('torn')])).map((entity) => entity?.key.name)).toEqual([
      'kept',
      undefined,
    ]);
    expect(logged[0]).toMatch(/40 bytes of a commit cut off by a crash were not acknowledged/);
  });

  it('should refuse a log damaged in the middle, naming the file and the offset, and change nothing', async () => {
    const log = writeLegacyFolder(dataDir, [
      [{ op: 'put', path: path('a'), data: { n: 1 } }],
      [{ op: 'put', path: path('b'), data: { n: 2 } }],
      [{ op: 'put', path: path('c'), data: { n: 3 } }],
    ]);
    const bytes = readFileSync(log);
    const middle = legacyRecord([{ op: 'put', path: path('a'), data: { n: 1 } }]).length + 20;
    const fd = openSync(log, 'r+');
    writeSync(fd, Buffer.from([bytes[middle] ^ 0xff]), 0, 1, middle);
    closeSync(fd);
    const damagedLog = readFileSync(log);

    const refused = open();

    await expect(refused).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(refused).rejects.toThrow(`the log ${log} is damaged at byte`);
    expect(readFileSync(log)).toEqual(damagedLog);
    expect(readdirSync(dataDir).sort()).toEqual(['LOCK', 'store.lock', 'store.lock.pid', 'store.wal']);
  });

  it('should refuse a log whose record length is damaged rather than take it for a torn end', async () => {
    const first = legacyRecord([{ op: 'put', path: path('a'), data: { n: 1 } }]);
    const log = writeLegacyFolder(dataDir, [
      [{ op: 'put', path: path('a'), data: { n: 1 } }],
      [{ op: 'put', path: path('b'), data: { n: 2 } }],
      [{ op: 'put', path: path('c'), data: { n: 3 } }],
    ]);
    const fd = openSync(log, 'r+');
    writeSync(fd, Buffer.from([0x7f]), 0, 1, first.length);
    closeSync(fd);

    await expect(open()).rejects.toThrow(`the log ${log} is damaged at byte ${first.length}`);
    expect(existsSync(join(dataDir, 'store.db'))).toBe(false);
  });

  it('should not convert a folder that a process of the earlier version still holds', async () => {
    writeLegacyFolder(dataDir, [[{ op: 'put', path: path('a'), data: {} }]]);
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    writeFileSync(join(dataDir, 'LOCK'), `${holder.pid}\n`);
    try {
      await expect(open()).rejects.toThrow(`is in use by process ${holder.pid} (an earlier version of the store)`);
      expect(readdirSync(dataDir)).toContain('store.wal');
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('should go out of service, not on, when its writer thread dies', async () => {
    sut = await open();
    await sut.upsert([{ key: item('kept'), data: {} }]);
    const { worker } = (sut as unknown as { channel: { worker: { terminate(): Promise<number> } } }).channel;

    await worker.terminate();

    await expect(sut.upsert([{ key: item('lost'), data: {} }])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(sut.ping()).rejects.toThrow("the embedded store's writer has stopped");
  });

  it('should refuse to open a database with a damaged page, naming the file and what to do', async () => {
    sut = await open();
    await sut.upsert(
      Array.from({ length: 400 }, (_, i) => ({ key: item(`i${i}`), data: { tag: 'x', n: i, pad: 'p'.repeat(200) } })),
    );
    await sut.close();
    sut = undefined;
    const database = join(dataDir, 'store.db');
    const fd = openSync(database, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096 * 3);
    closeSync(fd);

    const refused = open();

    await expect(refused).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(refused).rejects.toThrow(`the embedded store ${database} is damaged`);
    await expect(refused).rejects.toThrow('npm run restore');
  });
});
