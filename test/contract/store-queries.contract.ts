import type { Key } from '../../src/store/store.types.js';
import { item, names, type ContractSuite } from './store-contract.js';

/** Filters and orders: ancestors, equality on every value type, ranges, multi-valued properties, key ranges. */
export function queriesContract({ test, store }: ContractSuite): void {
  describe('queries', () => {
    test('should query only the descendants of an ancestor, the ancestor itself included', async () => {
      const alice: Key = { kind: 'User', name: 'alice' };
      const post: Key = { kind: 'Post', name: 'p1', parent: alice };
      await store().upsert([
        { key: alice, data: {} },
        { key: { kind: 'User', name: 'bob' }, data: {} },
        { key: post, data: {} },
        { key: { kind: 'Post', name: 'p2', parent: alice }, data: {} },
        { key: { kind: 'Post', name: 'p1', parent: { kind: 'User', name: 'bob' } }, data: {} },
        { key: { kind: 'Comment', name: 'c1', parent: post }, data: { at: 2 } },
        { key: { kind: 'Comment', name: 'c2', parent: post }, data: { at: 1 } },
      ]);

      const posts = await store().query({ kind: 'Post', ancestor: alice, limit: 10 });
      const comments = await store().query({
        kind: 'Comment',
        ancestor: alice,
        orders: [{ property: 'at', direction: 'asc' }],
        limit: 10,
      });
      const users = await store().query({ kind: 'User', ancestor: alice, limit: 10 });

      expect(names(posts)).toEqual(['p1', 'p2']);
      expect(posts.entities[0]?.key).toEqual(post);
      expect(names(comments)).toEqual(['c2', 'c1']);
      expect(names(users)).toEqual(['alice']);
    });

    test('should filter on equality of strings, numbers, booleans, null and dates', async () => {
      const at = new Date('2025-01-01T00:00:00.000Z');
      await store().upsert([
        { key: item('a'), data: { color: 'red', size: 2, sold: true, note: null, at } },
        { key: item('b'), data: { color: 'blue', size: 2, sold: false, note: 'x', at: new Date(at.getTime() + 1) } },
        { key: item('c'), data: { color: 'red', size: 3, sold: false, note: null, at } },
      ]);
      const where = async (property: string, value: string | number | boolean | null | Date) =>
        names(await store().query({ kind: 'Item', filters: [{ property, op: '=', value }], limit: 10 }));

      expect(await where('color', 'red')).toEqual(['a', 'c']);
      expect(await where('size', 2)).toEqual(['a', 'b']);
      expect(await where('sold', false)).toEqual(['b', 'c']);
      expect(await where('note', null)).toEqual(['a', 'c']);
      expect(await where('at', at)).toEqual(['a', 'c']);
      expect(
        names(
          await store().query({
            kind: 'Item',
            filters: [
              { property: 'color', op: '=', value: 'red' },
              { property: 'size', op: '=', value: 3 },
            ],
            limit: 10,
          }),
        ),
      ).toEqual(['c']);
    });

    test('should compare integers and fractions on one number line', async () => {
      await store().upsert([1, 1.5, 2, 3].map((v) => ({ key: item(`v${v}`), data: { v } })));

      const above = await store().query({ kind: 'Item', filters: [{ property: 'v', op: '>', value: 1 }], limit: 10 });
      const two = await store().query({ kind: 'Item', filters: [{ property: 'v', op: '=', value: 2.0 }], limit: 10 });

      expect(above.entities.map((entity) => entity.data.v)).toEqual([1.5, 2, 3]);
      expect(names(two)).toEqual(['v2']);
    });

    test('should filter on ranges with two bounds, in either direction', async () => {
      await store().upsert(
        ['apple', 'banana', 'blueberry', 'cherry'].map((fruit, i) => ({ key: item(fruit), data: { fruit, score: i } })),
      );
      const range = (direction: 'asc' | 'desc') =>
        store().query({
          kind: 'Item',
          filters: [
            { property: 'score', op: '>=', value: 1 },
            { property: 'score', op: '<', value: 3 },
          ],
          orders: [{ property: 'score', direction }],
          limit: 10,
        });
      const prefix = await store().query({
        kind: 'Item',
        filters: [
          { property: 'fruit', op: '>=', value: 'b' },
          { property: 'fruit', op: '<', value: 'c' },
        ],
        limit: 10,
      });

      expect(names(await range('asc'))).toEqual(['banana', 'blueberry']);
      expect(names(await range('desc'))).toEqual(['blueberry', 'banana']);
      expect(names(prefix)).toEqual(['banana', 'blueberry']);
      expect(
        names(await store().query({ kind: 'Item', filters: [{ property: 'score', op: '<=', value: 1 }], limit: 10 })),
      ).toEqual(['apple', 'banana']);
    });

    test('should match a multi-valued property when any of its values is equal', async () => {
      await store().upsert([
        { key: item('a'), data: { tags: ['x', 'y'] } },
        { key: item('b'), data: { tags: ['y'] } },
        { key: item('c'), data: { tags: ['z', 'x'] } },
        { key: item('d'), data: { tags: [] } },
      ]);
      const tagged = async (...tags: string[]) =>
        names(
          await store().query({
            kind: 'Item',
            filters: tags.map((value) => ({ property: 'tags', op: '=' as const, value })),
            limit: 10,
          }),
        );

      expect(await tagged('x')).toEqual(['a', 'c']);
      expect(await tagged('y')).toEqual(['a', 'b']);
      expect(await tagged('x', 'y')).toEqual(['a']);
    });

    test('should filter on key ranges, with and without an ancestor', async () => {
      const parent: Key = { kind: 'User', name: 'u' };
      await store().upsert(
        ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'].flatMap((name) => [
          { key: item(name), data: {} },
          { key: item(name, parent), data: {} },
        ]),
      );

      const roots = await store().query({
        kind: 'Item',
        filters: [
          { property: '__key__', op: '>', value: item('k1') },
          { property: '__key__', op: '<=', value: item('k4') },
        ],
        limit: 10,
      });
      const children = await store().query({
        kind: 'Item',
        ancestor: parent,
        filters: [{ property: '__key__', op: '>=', value: item('k4', parent) }],
        limit: 10,
      });

      expect(names(roots)).toEqual(['k2', 'k3', 'k4']);
      expect(roots.entities.every((entity) => entity.key.parent === undefined)).toBe(true);
      expect(names(children)).toEqual(['k4', 'k5']);
      expect(children.entities[0]?.key).toEqual(item('k4', parent));
    });

    test('should order ascending and descending, breaking ties by key', async () => {
      await store().upsert([
        { key: item('a'), data: { score: 2 } },
        { key: item('b'), data: { score: 1 } },
        { key: item('c'), data: { score: 2 } },
        { key: item('d'), data: { score: 3 } },
      ]);
      const ordered = async (direction: 'asc' | 'desc') =>
        names(await store().query({ kind: 'Item', orders: [{ property: 'score', direction }], limit: 10 }));

      expect(await ordered('asc')).toEqual(['b', 'a', 'c', 'd']);
      expect(await ordered('desc')).toEqual(['d', 'a', 'c', 'b']);
    });

    test('should order by key descending where an index declares it', async () => {
      await store().upsert(['a', 'c', 'b'].map((name) => ({ key: { kind: 'Ordered', name }, data: {} })));

      const result = await store().query({
        kind: 'Ordered',
        orders: [{ property: '__key__', direction: 'desc' }],
        limit: 10,
      });

      expect(names(result)).toEqual(['c', 'b', 'a']);
    });
  });
}
