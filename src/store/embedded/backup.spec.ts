import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '../store.errors.js';
import type { Key } from '../store.types.js';
import { backupStore, restoreStore } from './backup.js';
import { EmbeddedStore } from './embedded-store.js';

const item = (name: string): Key => ({ kind: 'Item', name });

describe('embedded store backup and restore', () => {
  let dataDir: string;
  let elsewhere: string;
  let sut: EmbeddedStore | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'picfeed-embedded-'));
    elsewhere = mkdtempSync(join(tmpdir(), 'picfeed-backups-'));
  });

  afterEach(async () => {
    await sut?.close();
    sut = undefined;
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('should back up a running store and restore that state once it is stopped, keeping the replaced one aside', async () => {
    const file = join(elsewhere, 'picfeed.backup');
    sut = await EmbeddedStore.open({ dataDir, indexes: [] });
    await sut.upsert([{ key: item('before'), data: { n: 1 } }]);

    // Online: the writer thread commits while the copy is made, and the copy is one state of the store.
    const store = sut;
    const during = Promise.all(
      Array.from({ length: 50 }, (_, i) => store.upsert([{ key: item(`during-${i}`), data: { n: i } }])),
    );
    await new Promise((resolve) => setImmediate(resolve));
    backupStore(dataDir, file);
    await during;
    await sut.upsert([{ key: item('after'), data: { n: 2 } }]);
    expect(() => restoreStore(dataDir, file)).toThrow(StoreUnavailableError);
    await sut.close();
    const aside = restoreStore(dataDir, file);
    sut = await EmbeddedStore.open({ dataDir, indexes: [] });

    expect((await sut.get([item('before'), item('after')])).map((entity) => entity?.key.name)).toEqual([
      'before',
      undefined,
    ]);
    expect(aside && existsSync(aside)).toBe(true);
  });

  it('should never overwrite a file, and refuse to restore what is not an intact database', async () => {
    const taken = join(elsewhere, 'taken');
    const junk = join(elsewhere, 'junk');
    writeFileSync(taken, 'keep me');
    writeFileSync(junk, 'not a database at all, just some text that is long enough to be a header or two');
    sut = await EmbeddedStore.open({ dataDir, indexes: [] });
    await sut.close();
    sut = undefined;

    expect(() => backupStore(dataDir, taken)).toThrow('a backup never overwrites a file');
    expect(() => restoreStore(dataDir, junk)).toThrow(`the embedded store ${junk} is damaged`);
    expect(existsSync(join(dataDir, 'store.db'))).toBe(true);
  });

  it("should put a backup in place of a database moved aside, never beside the old one's log files", async () => {
    const file = join(elsewhere, 'picfeed.backup');
    sut = await EmbeddedStore.open({ dataDir, indexes: [] });
    await sut.upsert([{ key: item('backed-up'), data: {} }]);
    backupStore(dataDir, file);
    await sut.close();
    sut = undefined;
    renameSync(join(dataDir, 'store.db'), join(elsewhere, 'moved-aside.db'));
    writeFileSync(join(dataDir, 'store.db-wal'), 'frames of the database that was moved aside');

    restoreStore(dataDir, file);
    sut = await EmbeddedStore.open({ dataDir, indexes: [] });

    expect((await sut.get([item('backed-up')]))[0]?.key.name).toBe('backed-up');
    expect(readdirSync(dataDir).filter((name) => name.includes('before-restore'))).toEqual([
      expect.stringMatching(/^store\.db\.before-restore-.*-wal$/),
    ]);
  });

  it('should refuse to restore a live database with its log beside it', () => {
    const live = join(elsewhere, 'live.db');
    writeFileSync(live, '');
    writeFileSync(`${live}-wal`, '');

    expect(() => restoreStore(dataDir, live)).toThrow('it is a live database, not a backup');
  });
});
