import { MissingIndexError } from '../store.errors.js';
import type { Query } from '../store.types.js';
import { at, embeddedQuerySuite, key } from '../../../test/support/embedded-queries.js';

describe('EmbeddedStore queries: composite indexes', () => {
  const { sut, run, walk } = embeddedQuerySuite();

  it('should answer a query with a declared composite index, newest first', async () => {
    await sut().upsert([
      { key: key('Post', 'p1'), data: { author: 'ann', createdAt: at(1) } },
      { key: key('Post', 'p2'), data: { author: 'bob', createdAt: at(2) } },
      { key: key('Post', 'p3'), data: { author: 'ann', createdAt: at(3) } },
      { key: key('Post', 'p4'), data: { author: 'ann', createdAt: at(0) } },
    ]);

    const posts = await run({
      kind: 'Post',
      filters: [
        { property: 'author', op: '=', value: 'ann' },
        { property: 'createdAt', op: '>', value: at(0) },
      ],
      orders: [{ property: 'createdAt', direction: 'desc' }],
      limit: 10,
    });
    const newestFirst = await run({ kind: 'Post', orders: [{ property: '__key__', direction: 'desc' }], limit: 2 });

    expect(posts).toEqual(['p3', 'p1']);
    expect(newestFirst).toEqual(['p4', 'p3']);
  });

  it('should serve the timeline query from a composite index over a list property', async () => {
    await sut().upsert([
      { key: key('PostReceiver', 'r1'), data: { receivers: ['me', 'you'], createdAt: at(1) } },
      { key: key('PostReceiver', 'r2'), data: { receivers: ['you'], createdAt: at(2) } },
      { key: key('PostReceiver', 'r3'), data: { receivers: ['them', 'me'], createdAt: at(3) } },
    ]);

    const result = await sut().query({
      kind: 'PostReceiver',
      filters: [{ property: 'receivers', op: '=', value: 'me' }],
      orders: [{ property: 'createdAt', direction: 'desc' }],
      keysOnly: true,
      limit: 10,
    });

    expect(result.entities).toEqual([
      { key: key('PostReceiver', 'r3'), data: {} },
      { key: key('PostReceiver', 'r1'), data: {} },
    ]);
  });

  it('should answer an ancestor query with an ancestor composite index', async () => {
    const post = key('Post', 'p');
    await sut().upsert([
      { key: key('Comment', 'c1', post), data: { createdAt: at(1) } },
      { key: key('Comment', 'c2', post), data: { createdAt: at(2) } },
      { key: key('Comment', 'c3', key('Post', 'q')), data: { createdAt: at(3) } },
    ]);

    expect(
      await run({ kind: 'Comment', ancestor: post, orders: [{ property: 'createdAt', direction: 'desc' }], limit: 5 }),
    ).toEqual(['c2', 'c1']);
    expect(
      await run({
        kind: 'Comment',
        ancestor: post,
        filters: [{ property: 'createdAt', op: '<', value: at(2) }],
        orders: [{ property: 'createdAt', direction: 'desc' }],
        limit: 5,
      }),
    ).toEqual(['c1']);
  });

  it('should merge-join composite indexes that each cover some of the equality filters', async () => {
    await sut().upsert([
      { key: key('Photo', 'a'), data: { album: 'trip', owner: 'ann', takenAt: at(1) } },
      { key: key('Photo', 'b'), data: { album: 'trip', owner: 'bob', takenAt: at(2) } },
      { key: key('Photo', 'c'), data: { album: 'home', owner: 'ann', takenAt: at(3) } },
      { key: key('Photo', 'd'), data: { album: 'trip', owner: 'ann', takenAt: at(4) } },
      { key: key('Photo', 'e'), data: { album: 'trip', owner: 'ann', takenAt: [at(0), at(5)] } },
    ]);
    const query: Query = {
      kind: 'Photo',
      filters: [
        { property: 'album', op: '=', value: 'trip' },
        { property: 'owner', op: '=', value: 'ann' },
      ],
      orders: [{ property: 'takenAt', direction: 'desc' }],
      limit: 10,
    };

    expect(await run(query)).toEqual(['e', 'd', 'a']);
    expect(await walk({ ...query, limit: 1 })).toEqual(['e', 'd', 'a']);
  });

  it.each<[string, Query, string]>([
    [
      'an equality and an order on another property',
      {
        kind: 'Post',
        filters: [{ property: 'author', op: '=', value: 'ann' }],
        orders: [{ property: 'createdAt', direction: 'asc' }],
        limit: 5,
      },
      '- kind: Post\n  properties:\n  - name: author\n  - name: createdAt',
    ],
    [
      'an ancestor and an inequality',
      {
        kind: 'Like',
        ancestor: { kind: 'User', name: 'u' },
        filters: [{ property: 'n', op: '>', value: 1 }],
        limit: 5,
      },
      '- kind: Like\n  ancestor: yes\n  properties:\n  - name: n',
    ],
    [
      'a descending key order',
      { kind: 'Like', orders: [{ property: '__key__', direction: 'desc' }], limit: 5 },
      '- kind: Like\n  properties:\n  - name: __key__\n    direction: desc',
    ],
    [
      'an equality and a range on the same property',
      {
        kind: 'Like',
        filters: [
          { property: 'n', op: '=', value: 1 },
          { property: 'n', op: '>', value: 0 },
        ],
        limit: 5,
      },
      '- kind: Like\n  properties:\n  - name: n\n  - name: n',
    ],
    [
      'two sort orders',
      {
        kind: 'Like',
        orders: [
          { property: 'a', direction: 'asc' },
          { property: 'b', direction: 'desc' },
        ],
        limit: 5,
      },
      '  - name: a\n  - name: b\n    direction: desc',
    ],
  ])('should throw MissingIndexError naming the index for %s', async (_, query, index) => {
    const running = sut().query(query);

    await expect(running).rejects.toBeInstanceOf(MissingIndexError);
    await expect(running).rejects.toThrow(index);
  });
});
