import { InvalidCursorError } from '../store.errors.js';
import type { Query } from '../store.types.js';
import { at, embeddedQuerySuite, key, names } from '../../../test/support/embedded-queries.js';

describe('EmbeddedStore queries: pages and cursors', () => {
  const { sut, run, walk } = embeddedQuerySuite();

  it('should walk pages without repeating or skipping an entity while others are inserted', async () => {
    await sut().upsert(
      Array.from({ length: 60 }, (_, i) => ({
        key: key('Post', `p${String(i).padStart(2, '0')}`),
        data: { author: 'ann', createdAt: at(i % 20) },
      })),
    );
    let inserted = 0;
    const insertAround = async () => {
      inserted += 1;
      await sut().upsert([
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
    await sut().upsert([1, 2, 3].map((n) => ({ key: key('Thing', `k${n}`), data: { n } })));

    const first = await sut().query({ kind: 'Thing', limit: 3 });
    const partial = await sut().query({ kind: 'Thing', limit: 2 });
    const rest = await sut().query({ kind: 'Thing', limit: 2, startCursor: partial.endCursor });
    const empty = await sut().query({ kind: 'Nothing', limit: 2 });

    expect(first.moreResults).toBe(false);
    expect(partial.moreResults).toBe(true);
    expect(names(rest.entities)).toEqual(['k3']);
    expect(rest.moreResults).toBe(false);
    expect(empty).toEqual({ entities: [], endCursor: undefined, moreResults: false });
  });

  it('should reject a garbage cursor and a cursor of another index with InvalidCursorError', async () => {
    await sut().upsert([
      { key: key('Thing', 'a'), data: { n: 1 } },
      { key: key('Thing', 'b'), data: { n: 2 } },
    ]);
    const { endCursor } = await sut().query({ kind: 'Thing', limit: 1 });

    await expect(sut().query({ kind: 'Thing', limit: 1, startCursor: 'not a cursor!' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(sut().query({ kind: 'Thing', limit: 1, startCursor: `${endCursor}x` })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(
      sut().query({ kind: 'Thing', orders: [{ property: 'n', direction: 'asc' }], limit: 1, startCursor: endCursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('should look at the same index entries for a limit-10 query however much else is stored', async () => {
    const ann = Array.from({ length: 30 }, (_, i) => ({
      key: key('Post', `ann-${i}`),
      data: { author: 'ann', createdAt: at(i), tags: ['x'] },
    }));
    await sut().upsert(ann);
    const query: Query = {
      kind: 'Post',
      filters: [{ property: 'author', op: '=', value: 'ann' }],
      orders: [{ property: 'createdAt', direction: 'desc' }],
      limit: 10,
    };
    const before = sut().entitiesExamined;
    const firstPage = await run(query);
    const examined = sut().entitiesExamined - before;

    for (let batch = 0; batch < 200; batch++) {
      await sut().upsert(
        Array.from({ length: 500 }, (_, i) => ({
          key: key('Post', `other-${batch}-${i}`),
          data: { author: `user-${i}`, createdAt: at(1000 + batch), tags: ['x'] },
        })),
      );
    }
    const after = sut().entitiesExamined;
    const samePage = await run(query);

    expect(samePage).toEqual(firstPage);
    expect(sut().entitiesExamined - after).toBe(examined);
    expect(examined).toBeLessThanOrEqual(11);
  }, 60_000);
});
