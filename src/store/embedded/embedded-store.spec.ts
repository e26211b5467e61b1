import { EntityExistsError, InvalidQueryError, StoreLimitError, StoreUnavailableError } from '../store.errors.js';
import type { Entity, Key } from '../store.types.js';
import { EmbeddedStore } from './embedded-store.js';

describe('EmbeddedStore', () => {
  let sut: EmbeddedStore;

  const key = (name: string, parent?: Key): Key => ({ kind: 'Thing', name, ...(parent ? { parent } : {}) });

  beforeEach(async () => {
    sut = await EmbeddedStore.open({ indexes: [] });
  });

  afterEach(async () => {
    await sut.close();
  });

  it('should return stored entities in the order of the keys, undefined where absent', async () => {
    await sut.upsert([
      { key: key('a'), data: { n: 1 } },
      { key: key('b', key('a')), data: { n: 2 } },
    ]);

    const found = await sut.get([key('b', key('a')), key('missing'), key('a')]);

    expect(found.map((entity) => entity?.data.n)).toEqual([2, undefined, 1]);
    expect(found[0]?.key).toEqual(key('b', key('a')));
  });

  it('should keep every value type, giving Dates back as Dates', async () => {
    const data = { s: 'text', n: 2.5, b: false, z: null, d: new Date('2024-05-06T07:08:09.010Z'), l: ['x', 1, null] };
    await sut.upsert([{ key: key('a'), data, excludeFromIndexes: ['s'] }]);

    const [found] = await sut.get([key('a')]);

    expect(found).toEqual({ key: key('a'), data, excludeFromIndexes: ['s'] });
    expect(found?.data.d).toBeInstanceOf(Date);
  });

  it('should not let callers change the store through what they wrote or read', async () => {
    const data = { list: ['a'], when: new Date(0) };
    await sut.upsert([{ key: key('a'), data }]);
    data.list.push('written');
    data.when.setTime(1);
    const [read] = await sut.get([key('a')]);
    (read?.data.list as string[]).push('read');
    (read?.data.when as Date).setTime(2);

    const [again] = await sut.get([key('a')]);

    expect(again?.data).toEqual({ list: ['a'], when: new Date(0) });
  });

  it('should refuse an insert of an existing key and write nothing of that commit', async () => {
    await sut.upsert([{ key: key('taken'), data: { v: 'old' } }]);

    const inserting = sut.insert([
      { key: key('new'), data: {} },
      { key: key('taken'), data: { v: 'new' } },
    ]);

    await expect(inserting).rejects.toBeInstanceOf(EntityExistsError);
    const [added, taken] = await sut.get([key('new'), key('taken')]);
    expect(added).toBeUndefined();
    expect(taken?.data).toEqual({ v: 'old' });
  });

  it('should apply upserts, inserts and deletes of one write together', async () => {
    await sut.upsert([{ key: key('gone'), data: {} }]);

    await sut.write([
      { op: 'insert', entity: { key: key('fresh'), data: { v: 1 } } },
      { op: 'upsert', entity: { key: key('other'), data: { v: 2 } } },
      { op: 'delete', key: key('gone') },
    ]);

    const found = await sut.get([key('fresh'), key('other'), key('gone')]);
    expect(found.map((entity) => entity?.data.v)).toEqual([1, 2, undefined]);
  });

  it('should surface the limits the base class enforces', async () => {
    const many: Entity[] = Array.from({ length: 501 }, (_, i) => ({ key: key(`k${i}`), data: {} }));
    const keys = Array.from({ length: 1001 }, (_, i) => key(`k${i}`));

    await expect(sut.upsert(many)).rejects.toBeInstanceOf(StoreLimitError);
    await expect(sut.get(keys)).rejects.toBeInstanceOf(StoreLimitError);
    await expect(sut.query({ kind: 'Thing', limit: 1001 })).rejects.toBeInstanceOf(InvalidQueryError);
    expect(await sut.get(keys.slice(0, 1000))).toHaveLength(1000);
  });

  it('should show a commit to readers only once it is acknowledged, and commits that arrive together in one group', async () => {
    const writes = [sut.upsert([{ key: key('a'), data: { n: 1 } }]), sut.upsert([{ key: key('b'), data: { n: 2 } }])];

    const before = await sut.get([key('a'), key('b')]);
    await Promise.all(writes);
    const after = await sut.get([key('a'), key('b')]);

    expect(before).toEqual([undefined, undefined]);
    expect(after.map((entity) => entity?.data.n)).toEqual([1, 2]);
  });

  it('should fail one commit of a group without failing the others', async () => {
    await sut.upsert([{ key: key('taken'), data: {} }]);

    const [refused, kept] = await Promise.allSettled([
      sut.insert([{ key: key('taken'), data: { again: true } }]),
      sut.upsert([{ key: key('fine'), data: { n: 3 } }]),
    ]);

    expect(refused).toMatchObject({ status: 'rejected', reason: expect.any(EntityExistsError) });
    expect(kept.status).toBe('fulfilled');
    expect((await sut.get([key('taken'), key('fine')])).map((entity) => entity?.data)).toEqual([{}, { n: 3 }]);
  });

  it('should answer probes while open and reject every operation once closed', async () => {
    await expect(sut.ping()).resolves.toBeUndefined();

    await sut.close();

    await expect(sut.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(sut.get([key('a')])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(sut.upsert([{ key: key('a'), data: {} }])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(sut.query({ kind: 'Thing', limit: 1 })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(sut.runInTransaction(() => Promise.resolve())).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
