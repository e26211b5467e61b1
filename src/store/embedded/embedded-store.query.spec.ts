import type { EntityData } from '../store.types.js';
import { at, embeddedQuerySuite, key } from '../../../test/support/embedded-queries.js';

describe('EmbeddedStore queries: filters and orders', () => {
  const { sut, run, walk } = embeddedQuerySuite();

  it('should return the entities of one kind in key order', async () => {
    await sut().upsert([
      { key: key('Thing', 'b'), data: {} },
      { key: key('Other', 'a'), data: {} },
      { key: key('Thing', 'a'), data: {} },
      { key: key('Thing', 'c', key('Thing', 'a')), data: {} },
    ]);

    expect(await run({ kind: 'Thing', limit: 10 })).toEqual(['a', 'c', 'b']);
  });

  it('should return an ancestor and its descendants of the kind, and nothing outside it', async () => {
    const user = key('User', 'u1');
    await sut().upsert([
      { key: key('Like', 'l1', user), data: {} },
      { key: key('Like', 'l2', key('Post', 'p', user)), data: {} },
      { key: key('Like', 'l3', key('User', 'u10')), data: {} },
      { key: key('Like', 'l4'), data: {} },
      { key: key('Like', 'u1'), data: {} },
    ]);

    expect(await run({ kind: 'Like', ancestor: user, limit: 10 })).toEqual(['l1', 'l2']);
  });

  it('should order mixed values like Datastore, ties in descending order by ascending key', async () => {
    const values: EntityData[string][] = ['b', true, at(1), 3, null, -1, 'a', at(1)];
    await sut().upsert(values.map((v, i) => ({ key: key('Thing', `k${i}`), data: { v } })));

    expect(await run({ kind: 'Thing', orders: [{ property: 'v', direction: 'asc' }], limit: 20 })).toEqual([
      'k4',
      'k5',
      'k3',
      'k2',
      'k7',
      'k1',
      'k6',
      'k0',
    ]);
    expect(await run({ kind: 'Thing', orders: [{ property: 'v', direction: 'desc' }], limit: 20 })).toEqual([
      'k0',
      'k6',
      'k1',
      'k2',
      'k7',
      'k3',
      'k5',
      'k4',
    ]);
  });

  it('should apply inequality filters as a range of the index, in either direction', async () => {
    await sut().upsert([1, 5, 7, 10, 12].map((v, i) => ({ key: key('Thing', `k${i}`), data: { v } })));

    expect(await run({ kind: 'Thing', filters: [{ property: 'v', op: '<', value: 7 }], limit: 20 })).toEqual([
      'k0',
      'k1',
    ]);
    expect(
      await run({
        kind: 'Thing',
        filters: [
          { property: 'v', op: '>=', value: 5 },
          { property: 'v', op: '<=', value: 10 },
        ],
        orders: [{ property: 'v', direction: 'desc' }],
        limit: 20,
      }),
    ).toEqual(['k3', 'k2', 'k1']);
  });

  it('should match a list property when any element matches, and return the entity once', async () => {
    await sut().upsert([
      { key: key('Tagged', 'one'), data: { tags: ['red', 'blue', 'green'] } },
      { key: key('Tagged', 'two'), data: { tags: ['blue'] } },
      { key: key('Tagged', 'three'), data: { tags: [] } },
      { key: key('Tagged', 'four'), data: { tags: 'red' } },
    ]);

    const blue = await run({ kind: 'Tagged', filters: [{ property: 'tags', op: '=', value: 'blue' }], limit: 10 });
    const ordered = await walk({ kind: 'Tagged', orders: [{ property: 'tags', direction: 'asc' }], limit: 1 });
    const descending = await walk({ kind: 'Tagged', orders: [{ property: 'tags', direction: 'desc' }], limit: 1 });

    expect(blue).toEqual(['one', 'two']);
    expect(ordered).toEqual(['one', 'two', 'four']);
    expect(descending).toEqual(['four', 'one', 'two']);
  });

  it('should leave out entities that lack the property or exclude it from indexes', async () => {
    await sut().upsert([
      { key: key('Thing', 'has'), data: { v: 1 } },
      { key: key('Thing', 'null'), data: { v: null } },
      { key: key('Thing', 'lacks'), data: {} },
      { key: key('Thing', 'excluded'), data: { v: 1 }, excludeFromIndexes: ['v'] },
    ]);

    expect(await run({ kind: 'Thing', filters: [{ property: 'v', op: '=', value: 1 }], limit: 10 })).toEqual(['has']);
    expect(await run({ kind: 'Thing', orders: [{ property: 'v', direction: 'asc' }], limit: 10 })).toEqual([
      'null',
      'has',
    ]);
  });

  it('should answer equality filters on several properties and an ancestor without a composite index', async () => {
    const user = key('User', 'u');
    await sut().upsert([
      { key: key('Like', 'a', user), data: { post: 'p1', kind: 'heart' } },
      { key: key('Like', 'b', user), data: { post: 'p1', kind: 'star' } },
      { key: key('Like', 'c'), data: { post: 'p1', kind: 'heart' } },
      { key: key('Like', 'd', user), data: { post: 'p2', kind: 'heart' } },
    ]);
    const filters = [
      { property: 'post', op: '=', value: 'p1' },
      { property: 'kind', op: '=', value: 'heart' },
    ] as const;

    expect(await run({ kind: 'Like', filters, limit: 10 })).toEqual(['c', 'a']);
    expect(await run({ kind: 'Like', filters, ancestor: user, limit: 10 })).toEqual(['a']);
    expect(
      await run({
        kind: 'Like',
        filters: [...filters, { property: '__key__', op: '>', value: key('Like', 'c') }],
        limit: 10,
      }),
    ).toEqual(['a']);
  });
});
