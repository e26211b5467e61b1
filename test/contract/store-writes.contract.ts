import { EntityExistsError, StoreLimitError } from '../../src/store/store.errors.js';
import type { Key } from '../../src/store/store.types.js';
import { item, names, type ContractSuite } from './store-contract.js';

/** Lookups, writes and the limits both adapters enforce alike. */
export function writesContract({ test, store }: ContractSuite): void {
  describe('lookups and writes', () => {
    test('should get many keys in one call, in the order asked, undefined where missing', async () => {
      await store().upsert(['a', 'b', 'c'].map((name, i) => ({ key: item(name), data: { n: i } })));

      const entities = await store().get([item('c'), item('missing'), item('a'), item('b'), item('a')]);

      expect(names(entities)).toEqual(['c', undefined, 'a', 'b', 'a']);
      expect(entities.map((entity) => entity?.data.n)).toEqual([2, undefined, 0, 1, 0]);
      expect(entities[0]?.key).toEqual(item('c'));
    });

    test('should replace the whole entity on upsert', async () => {
      await store().upsert([{ key: item('a'), data: { old: 1, kept: 'x' } }]);
      await store().upsert([{ key: item('a'), data: { kept: 'y' } }]);

      const [entity] = await store().get([item('a')]);

      expect(entity?.data).toEqual({ kept: 'y' });
    });

    test('should fail an insert of an existing key with EntityExistsError and write nothing of its batch', async () => {
      await store().insert([{ key: item('taken'), data: { v: 'first' } }]);

      const error: unknown = await store()
        .insert([
          { key: item('new'), data: { v: 'new' } },
          { key: item('taken'), data: { v: 'second' } },
        ])
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(EntityExistsError);
      expect((error as EntityExistsError).key).toEqual(item('taken'));
      const [fresh, taken] = await store().get([item('new'), item('taken')]);
      expect(fresh).toBeUndefined();
      expect(taken?.data).toEqual({ v: 'first' });
    });

    test('should delete entities and ignore keys that do not exist', async () => {
      await store().upsert([{ key: item('a'), data: {} }]);

      await store().delete([item('a'), item('never')]);

      expect(await store().get([item('a')])).toEqual([undefined]);
    });

    test('should apply the mutations of one write together', async () => {
      await store().upsert([{ key: item('gone'), data: {} }]);

      await store().write([
        { op: 'upsert', entity: { key: item('up'), data: { v: 1 } } },
        { op: 'delete', key: item('gone') },
        { op: 'insert', entity: { key: item('in'), data: { v: 2 } } },
      ]);

      expect(names(await store().get([item('up'), item('gone'), item('in')]))).toEqual(['up', undefined, 'in']);
    });

    test('should keep the last of several mutations of one key in a write', async () => {
      await store().write([
        { op: 'upsert', entity: { key: item('twice'), data: { v: 1 } } },
        { op: 'upsert', entity: { key: item('twice'), data: { v: 2 } } },
        { op: 'upsert', entity: { key: item('dropped'), data: { v: 1 } } },
        { op: 'delete', key: item('dropped') },
      ]);

      const [twice, dropped] = await store().get([item('twice'), item('dropped')]);

      expect(twice?.data).toEqual({ v: 2 });
      expect(dropped).toBeUndefined();
    });

    test('should round-trip every value type', async () => {
      const data = {
        text: 'héllo wörld 🌍',
        empty: '',
        integer: 42,
        negative: -7,
        fraction: 0.125,
        largest: Number.MAX_SAFE_INTEGER,
        yes: true,
        no: false,
        nothing: null,
        at: new Date('2024-02-29T12:34:56.789Z'),
        before1970: new Date('1969-07-20T20:17:40.001Z'),
        list: ['a', 1, 2.5, true, null, new Date(0)],
        none: [],
      };
      await store().upsert([{ key: item('values'), data }]);

      const [entity] = await store().get([item('values')]);

      expect(entity?.data).toEqual(data);
      expect(entity?.data.at).toBeInstanceOf(Date);
    });

    test('should tell apart keys by their ancestor path', async () => {
      const alice: Key = { kind: 'User', name: 'alice' };
      const bob: Key = { kind: 'User', name: 'bob' };
      await store().upsert([
        { key: item('p1', alice), data: { by: 'alice' } },
        { key: item('p1', bob), data: { by: 'bob' } },
        { key: item('p1'), data: { by: 'nobody' } },
      ]);

      const entities = await store().get([item('p1', bob), item('p1'), item('p1', alice)]);

      expect(entities.map((entity) => entity?.data.by)).toEqual(['bob', 'nobody', 'alice']);
      expect(entities[2]?.key).toEqual(item('p1', alice));
    });

    test('should answer a ping', async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });

    describe('limits', () => {
      test('should refuse more than 500 mutations in one write and write none of them', async () => {
        const entities = Array.from({ length: 501 }, (_, i) => ({ key: item(`m${i}`), data: { i } }));

        await expect(store().upsert(entities)).rejects.toBeInstanceOf(StoreLimitError);
        await expect(
          store().runInTransaction(async (tx) => {
            await tx.get([item('m0')]);
            tx.upsert(entities);
          }),
        ).rejects.toBeInstanceOf(StoreLimitError);

        expect((await store().get([item('m0'), item('m500')])).filter(Boolean)).toEqual([]);
        await store().upsert(entities.slice(0, 500));
        expect((await store().query({ kind: 'Item', keysOnly: true, limit: 1000 })).entities).toHaveLength(500);
      });

      test('should refuse an indexed string over 1,500 bytes, yet store it excluded from indexes', async () => {
        const text = 'é'.repeat(751);

        await expect(store().upsert([{ key: item('a'), data: { text } }])).rejects.toBeInstanceOf(StoreLimitError);
        await expect(store().upsert([{ key: item('b'), data: { list: ['ok', text] } }])).rejects.toBeInstanceOf(
          StoreLimitError,
        );
        await store().upsert([{ key: item('a'), data: { text }, excludeFromIndexes: ['text'] }]);

        expect((await store().get([item('a')]))[0]?.data.text).toBe(text);
      });

      test('should refuse an entity over 1 MiB', async () => {
        const entity = { key: item('huge'), data: { blob: 'x'.repeat(1 << 20) }, excludeFromIndexes: ['blob'] };

        await expect(store().upsert([entity])).rejects.toBeInstanceOf(StoreLimitError);
        expect(await store().get([item('huge')])).toEqual([undefined]);
      });
    });
  });
}
