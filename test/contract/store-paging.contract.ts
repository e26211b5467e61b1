import { InvalidCursorError } from '../../src/store/store.errors.js';
import type { Query, QueryResult } from '../../src/store/store.types.js';
import { item, names, type ContractSuite } from './store-contract.js';

/** Limits, cursors and keys-only pages. */
export function pagingContract({ test, store }: ContractSuite): void {
  describe('query pages', () => {
    /** Every page of a query, following its cursors until the store says no more. */
    async function pageThrough(query: Query): Promise<QueryResult[]> {
      const pages: QueryResult[] = [];
      let startCursor: string | undefined;
      do {
        const page = await store().query({ ...query, startCursor });
        pages.push(page);
        startCursor = page.endCursor;
        if (!page.moreResults) {
          break;
        }
      } while (pages.length < 50);
      return pages;
    }

    test('should return at most limit entities and say whether more may follow', async () => {
      await store().upsert(['a', 'b', 'c', 'd', 'e'].map((name) => ({ key: item(name), data: {} })));

      const first = await store().query({ kind: 'Item', limit: 3 });
      const all = await store().query({ kind: 'Item', limit: 10 });
      const none = await store().query({ kind: 'Nothing', limit: 10 });

      expect(names(first)).toEqual(['a', 'b', 'c']);
      expect(first.moreResults).toBe(true);
      expect(first.endCursor).toEqual(expect.any(String));
      expect(names(all)).toHaveLength(5);
      expect(all.moreResults).toBe(false);
      expect(none).toEqual({ entities: [], moreResults: false, endCursor: undefined });
    });

    test('should walk pages with cursors without repeating or skipping', async () => {
      const entities = Array.from({ length: 23 }, (_, i) => ({
        key: item(`e${String(i).padStart(2, '0')}`),
        data: { score: i % 5 },
      }));
      await store().upsert(entities);
      const expected = [...entities]
        .sort((a, b) => b.data.score - a.data.score || a.key.name.localeCompare(b.key.name))
        .map((entity) => entity.key.name);

      const pages = await pageThrough({ kind: 'Item', orders: [{ property: 'score', direction: 'desc' }], limit: 5 });

      expect(pages.flatMap(names)).toEqual(expected);
      expect(pages.map((page) => page.entities.length)).toEqual([5, 5, 5, 5, 3]);
      expect(pages.at(-1)?.moreResults).toBe(false);
    });

    test('should page a keys-only timeline: multi-valued equality ordered newest first', async () => {
      const start = Date.UTC(2025, 0, 1);
      const receivers = Array.from({ length: 12 }, (_, i) => ({
        key: { kind: 'Receiver', name: `r${String(i).padStart(2, '0')}`, parent: { kind: 'Post', name: `p${i}` } },
        data: { receivers: i % 3 === 0 ? ['other'] : ['me', 'other'], createdAt: new Date(start + (i % 4) * 60_000) },
      }));
      await store().upsert(receivers);
      const expected = receivers
        .filter((receiver) => receiver.data.receivers.includes('me'))
        .sort(
          (a, b) =>
            b.data.createdAt.getTime() - a.data.createdAt.getTime() ||
            a.key.parent.name.localeCompare(b.key.parent.name),
        )
        .map((receiver) => receiver.key.name);

      const pages = await pageThrough({
        kind: 'Receiver',
        filters: [{ property: 'receivers', op: '=', value: 'me' }],
        orders: [{ property: 'createdAt', direction: 'desc' }],
        keysOnly: true,
        limit: 3,
      });

      expect(pages.flatMap(names)).toEqual(expected);
      expect(pages.flatMap((page) => page.entities.map((entity) => entity.data))).toEqual(expected.map(() => ({})));
      expect(pages[0]?.entities[0]?.key.parent?.kind).toBe('Post');
    });

    test('should answer keys-only queries with keys and empty data', async () => {
      await store().upsert([{ key: item('a', { kind: 'User', name: 'u' }), data: { big: 'x'.repeat(100) } }]);

      const result = await store().query({ kind: 'Item', keysOnly: true, limit: 10 });

      expect(result.entities).toEqual([{ key: item('a', { kind: 'User', name: 'u' }), data: {} }]);
    });

    test('should reject a cursor it did not produce', async () => {
      await store().upsert([{ key: item('a'), data: {} }]);

      for (const startCursor of ['not a cursor!', 'bm90LWEtY3Vyc29y']) {
        await expect(store().query({ kind: 'Item', limit: 10, startCursor })).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
      }
    });
  });
}
