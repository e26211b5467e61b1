import { MissingIndexError } from '../../src/store/store.errors.js';
import type { Query } from '../../src/store/store.types.js';
import { item, type ContractSuite } from './store-contract.js';

/** Which queries need a declared composite index, and properties excluded from indexes. */
export function indexesContract({ test, store }: ContractSuite): void {
  describe('indexes and exclusions', () => {
    test('should fail with MissingIndexError when a query needs an undeclared composite index', async () => {
      await store().upsert([{ key: item('a'), data: { color: 'red', size: 1 } }]);

      const undeclared: Query[] = [
        {
          kind: 'Item',
          filters: [{ property: 'color', op: '=', value: 'red' }],
          orders: [{ property: 'size', direction: 'desc' }],
          limit: 10,
        },
        { kind: 'Item', orders: [{ property: '__key__', direction: 'desc' }], limit: 10 },
        {
          kind: 'Item',
          ancestor: { kind: 'User', name: 'u' },
          orders: [{ property: 'size', direction: 'asc' }],
          limit: 10,
        },
        {
          kind: 'Item',
          filters: [
            { property: 'color', op: '=', value: 'red' },
            { property: 'size', op: '>', value: 0 },
          ],
          limit: 10,
        },
      ];

      for (const query of undeclared) {
        await expect(store().query(query)).rejects.toBeInstanceOf(MissingIndexError);
      }
    });

    test('should keep excluded properties out of queries but still return them', async () => {
      const data = { title: 't', summary: 's', tags: ['x', 'y'], body: 'long text '.repeat(200) };
      await store().upsert([{ key: item('a'), data, excludeFromIndexes: ['summary', 'tags', 'body'] }]);
      const count = async (property: string, value: string) =>
        (await store().query({ kind: 'Item', filters: [{ property, op: '=', value }], limit: 10 })).entities.length;

      expect(await count('title', 't')).toBe(1);
      expect(await count('summary', 's')).toBe(0);
      expect(await count('tags', 'x')).toBe(0);
      const [entity] = await store().get([item('a')]);
      expect(entity?.data).toEqual(data);
    });

    test('should keep exclusions through a read-modify-write of the entity read', async () => {
      await store().upsert([{ key: item('a'), data: { body: 'x'.repeat(2000), n: 1 }, excludeFromIndexes: ['body'] }]);

      await store().runInTransaction(async (tx) => {
        const [entity] = await tx.get([item('a')]);
        if (entity) {
          tx.upsert([{ ...entity, data: { ...entity.data, n: 2 } }]);
        }
      });

      const [entity] = await store().get([item('a')]);
      expect(entity?.data.n).toBe(2);
    });
  });
}
