import { parseIndexYaml } from '../index-definitions.js';
import { InvalidCursorError, MissingIndexError } from '../store.errors.js';
import type { Entity, EntityData, Key, Query } from '../store.types.js';
import { EmbeddedStore } from './embedded-store.js';

const INDEXES = parseIndexYaml(`
indexes:
  - kind: Post
    properties:
      - name: author
      - name: createdAt
        direction: desc
  - kind: PostReceiver
    properties:
      - name: receivers
      - name: createdAt
        direction: desc
  - kind: Comment
    ancestor: yes
    properties:
      - name: createdAt
        direction: desc
  - kind: Post
    properties:
      - name: __key__
        direction: desc
  - kind: Photo
    properties:
      - name: album
      - name: takenAt
        direction: desc
  - kind: Photo
    properties:
      - name: owner
      - name: takenAt
        direction: desc
`);

describe('EmbeddedStore queries', () => {
  let sut: EmbeddedStore;

  const key = (kind: string, name: string, parent?: Key): Key => ({ kind, name, ...(parent ? { parent } : {}) });
  const names = (entities: Entity[]) => entities.map((entity) => entity.key.name);
  const at = (minute: number) => new Date(Date.UTC(2024, 0, 1, 0, minute));

  async function run(query: Query): Promise<string[]> {
    return names((await sut.query(query)).entities);
  }

  /** Every page of a query, `between` running after each one. */
  async function walk(query: Query, between: (page: number) => Promise<void> = () => Promise.resolve()) {
    const seen: string[] = [];
    let startCursor: string | undefined;
    for (let page = 0; ; page++) {
      const result = await sut.query({ ...query, startCursor });
      seen.push(...names(result.entities));
      if (!result.moreResults) {
        return seen;
      }
      startCursor = result.endCursor;
      await between(page);
    }
  }

  beforeEach(async () => {
    sut = await EmbeddedStore.open({ indexes: INDEXES });
  });

  afterEach(async () => {
    await sut.close();
  });

  it('should return the entities of one kind in key order', async () => {
    await sut.upsert([
      { key: key('Thing', 'b'), data: {} },
      { key: key('Other', 'a'), data: {} },
      { key: key('Thing', 'a'), data: {} },
      { key: key('Thing', 'c', key('Thing', 'a')), data: {} },
    ]);

    expect(await run({ kind: 'Thing', limit: 10 })).toEqual(['a', 'c', 'b']);
  });

  it('should return an ancestor and its descendants of the kind, and nothing outside it', async () => {
    const user = key('User', 'u1');
    await sut.upsert([
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
    await sut.upsert(values.map((v, i) => ({ key: key('Thing', `k${i}`), data: { v } })));

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
    await sut.upsert([1, 5, 7, 10, 12].map((v, i) => ({ key: key('Thing', `k${i}`), data: { v } })));

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
    await sut.upsert([
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
    await sut.upsert([
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
    await sut.upsert([
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

  it('should answer a query with a declared composite index, newest first', async () => {
    await sut.upsert([
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
    await sut.upsert([
      { key: key('PostReceiver', 'r1'), data: { receivers: ['me', 'you'], createdAt: at(1) } },
      { key: key('PostReceiver', 'r2'), data: { receivers: ['you'], createdAt: at(2) } },
      { key: key('PostReceiver', 'r3'), data: { receivers: ['them', 'me'], createdAt: at(3) } },
    ]);

    const result = await sut.query({
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
    await sut.upsert([
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
    await sut.upsert([
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
    const running = sut.query(query);

    await expect(running).rejects.toBeInstanceOf(MissingIndexError);
    await expect(running).rejects.toThrow(index);
  });

  it('should walk pages without repeating or skipping an entity while others are inserted', async () => {
    await sut.upsert(
      Array.from({ length: 60 }, (_, i) => ({
        key: key('Post', `p${String(i).padStart(2, '0')}`),
        data: { author: 'ann', createdAt: at(i % 20) },
      })),
    );
    let inserted = 0;
    const insertAround = async () => {
      inserted += 1;
      await sut.upsert([
        { key: key('Post', `new-late-${inserted}`), data: { author: 'ann', createdAt: at(100 + inserted) } },
        { key: key('Post', `new-early-${inserted}`), data: { author: 'ann', createdAt: at(-inserted) } },
        { key: key('Post', `p05-${inserted}`), data: { author: 'ann', createdAt: at(5) } },
      ]);
    };

    const composite = await walk(
      {
        kind: 'Post',
        filters: [{ property: 'author', op: '=', value: 'ann' }],
        orders: [{ property: 'createdAt', direction: 'desc' }],
        limit: 7,
      },
      insertAround,
    );
    const builtIn = await walk(
      { kind: 'Post', orders: [{ property: 'createdAt', direction: 'desc' }], limit: 7 },
      insertAround,
    );
    const byKey = await walk({ kind: 'Post', limit: 7 }, insertAround);

    for (const seen of [composite, builtIn, byKey]) {
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((name) => /^p\d\d$/.test(name))).toHaveLength(60);
    }
  });

  it('should report moreResults false only once the range is exhausted', async () => {
    await sut.upsert([1, 2, 3].map((n) => ({ key: key('Thing', `k${n}`), data: { n } })));

    const first = await sut.query({ kind: 'Thing', limit: 3 });
    const partial = await sut.query({ kind: 'Thing', limit: 2 });
    const rest = await sut.query({ kind: 'Thing', limit: 2, startCursor: partial.endCursor });
    const empty = await sut.query({ kind: 'Nothing', limit: 2 });

    expect(first.moreResults).toBe(false);
    expect(partial.moreResults).toBe(true);
    expect(names(rest.entities)).toEqual(['k3']);
    expect(rest.moreResults).toBe(false);
    expect(empty).toEqual({ entities: [], endCursor: undefined, moreResults: false });
  });

  it('should reject a garbage cursor and a cursor of another index with InvalidCursorError', async () => {
    await sut.upsert([
      { key: key('Thing', 'a'), data: { n: 1 } },
      { key: key('Thing', 'b'), data: { n: 2 } },
    ]);
    const { endCursor } = await sut.query({ kind: 'Thing', limit: 1 });

    await expect(sut.query({ kind: 'Thing', limit: 1, startCursor: 'not a cursor!' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(sut.query({ kind: 'Thing', limit: 1, startCursor: `${endCursor}x` })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(
      sut.query({ kind: 'Thing', orders: [{ property: 'n', direction: 'asc' }], limit: 1, startCursor: endCursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('should look at the same index entries for a limit-10 query however much else is stored', async () => {
    const ann = Array.from({ length: 30 }, (_, i) => ({
      key: key('Post', `ann-${i}`),
      data: { author: 'ann', createdAt: at(i), tags: ['x'] },
    }));
    await sut.upsert(ann);
    const query: Query = {
      kind: 'Post',
      filters: [{ property: 'author', op: '=', value: 'ann' }],
      orders: [{ property: 'createdAt', direction: 'desc' }],
      limit: 10,
    };
    const before = sut.entitiesExamined;
    const firstPage = await run(query);
    const examined = sut.entitiesExamined - before;

    for (let batch = 0; batch < 200; batch++) {
      await sut.upsert(
        Array.from({ length: 500 }, (_, i) => ({
          key: key('Post', `other-${batch}-${i}`),
          data: { author: `user-${i}`, createdAt: at(1000 + batch), tags: ['x'] },
        })),
      );
    }
    const after = sut.entitiesExamined;
    const samePage = await run(query);

    expect(samePage).toEqual(firstPage);
    expect(sut.entitiesExamined - after).toBe(examined);
    expect(examined).toBeLessThanOrEqual(11);
  }, 60_000);
});
