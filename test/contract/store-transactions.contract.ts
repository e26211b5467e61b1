import { EntityExistsError, StoreContentionError } from '../../src/store/store.errors.js';
import type { Key } from '../../src/store/store.types.js';
import { item, type ContractSuite } from './store-contract.js';

/** Optimistic transactions: atomic commits, rollback, contention and its retries. */
export function transactionsContract({ test, store }: ContractSuite): void {
  describe('transactions', () => {
    const counter: Key = { kind: 'Counter', name: 'c' };
    const readCount = async (): Promise<number | undefined> => (await store().get<{ n: number }>([counter]))[0]?.data.n;
    const increment = (options?: { maxAttempts?: number }, beforeWrite?: () => Promise<void>) =>
      store().runInTransaction(async (tx) => {
        const [entity] = await tx.get<{ n: number }>([counter]);
        await beforeWrite?.();
        tx.upsert([{ key: counter, data: { n: (entity?.data.n ?? 0) + 1 } }]);
        return (entity?.data.n ?? 0) + 1;
      }, options);

    /** Holds every caller until `count` of them arrived: makes transactions overlap for sure. */
    function barrier(count: number): () => Promise<void> {
      let arrived = 0;
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      return () => {
        arrived += 1;
        if (arrived >= count) {
          open();
        }
        return opened;
      };
    }

    test('should read, modify and write in a transaction', async () => {
      await store().upsert([{ key: counter, data: { n: 41 } }]);

      await expect(increment()).resolves.toBe(42);

      expect(await readCount()).toBe(42);
    });

    test('should write nothing when the transaction function throws, and rethrow its error', async () => {
      const failure = new Error('changed my mind');

      await expect(
        store().runInTransaction(async (tx) => {
          await tx.get([counter]);
          tx.upsert([{ key: counter, data: { n: 1 } }]);
          throw failure;
        }),
      ).rejects.toBe(failure);

      expect(await readCount()).toBeUndefined();
    });

    test('should keep transaction writes invisible, inside and out, until commit', async () => {
      await store().runInTransaction(async (tx) => {
        tx.upsert([{ key: counter, data: { n: 1 } }]);
        expect(await tx.get([counter])).toEqual([undefined]);
        expect(await store().get([counter])).toEqual([undefined]);
      });

      expect(await readCount()).toBe(1);
    });

    test('should read many keys, also concurrently, in one transaction', async () => {
      await store().upsert([
        { key: item('a'), data: { n: 1 } },
        { key: item('b'), data: { n: 2 } },
      ]);

      const sum = await store().runInTransaction(async (tx) => {
        const [[a, missing], [b]] = await Promise.all([tx.get([item('a'), item('none')]), tx.get([item('b')])]);
        expect(missing).toBeUndefined();
        const total = Number(a?.data.n) + Number(b?.data.n);
        tx.upsert([{ key: item('sum'), data: { n: total } }]);
        return total;
      });

      expect(sum).toBe(3);
      expect((await store().get([item('sum')]))[0]?.data.n).toBe(3);
    });

    test('should commit exactly one of two overlapping transactions on one entity', async () => {
      await store().upsert([{ key: counter, data: { n: 0 } }]);
      const bothRead = barrier(2);

      const results = await Promise.allSettled([
        increment({ maxAttempts: 1 }, bothRead),
        increment({ maxAttempts: 1 }, bothRead),
      ]);

      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const [failure] = results.filter((result) => result.status === 'rejected');
      expect(failure?.reason).toBeInstanceOf(StoreContentionError);
      expect(await readCount()).toBe(1);
    });

    test('should re-run the loser of two overlapping transactions so both increments land', async () => {
      await store().upsert([{ key: counter, data: { n: 0 } }]);
      const bothRead = barrier(2);

      const results = await Promise.all([increment({}, bothRead), increment({}, bothRead)]);

      expect(results.sort()).toEqual([1, 2]);
      expect(await readCount()).toBe(2);
    });

    test('should abort a transaction whose read of a missing key an insert made stale', async () => {
      let attempts = 0;

      const outcome = await store().runInTransaction(async (tx) => {
        attempts += 1;
        const [existing] = await tx.get([counter]);
        if (existing) {
          return 'taken';
        }
        if (attempts === 1) {
          await store().insert([{ key: counter, data: { n: 100 } }]);
        }
        tx.insert([{ key: counter, data: { n: 1 } }]);
        return 'inserted';
      });

      expect(outcome).toBe('taken');
      expect(attempts).toBe(2);
      expect(await readCount()).toBe(100);
    });

    test('should fail an insert of an existing key in a transaction with EntityExistsError, without retrying', async () => {
      await store().upsert([{ key: counter, data: { n: 5 } }]);
      let attempts = 0;

      const error: unknown = await store()
        .runInTransaction(async (tx) => {
          attempts += 1;
          await tx.get([item('other')]);
          tx.insert([{ key: counter, data: { n: 1 } }]);
        })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(EntityExistsError);
      expect((error as EntityExistsError).key).toEqual(counter);
      expect(attempts).toBe(1);
      expect(await readCount()).toBe(5);
    });

    test('should count exactly the committed increments of 50 concurrent transactions on one entity', async () => {
      await store().upsert([{ key: counter, data: { n: 0 } }]);

      const results = await Promise.allSettled(Array.from({ length: 50 }, () => increment()));

      const committed = results.filter((result) => result.status === 'fulfilled').length;
      const failures = results.flatMap((result): unknown[] => (result.status === 'rejected' ? [result.reason] : []));
      failures.forEach((failure) => expect(failure).toBeInstanceOf(StoreContentionError));
      expect(committed).toBeGreaterThan(0);
      expect(await readCount()).toBe(committed);
    }, 60_000);
  });
}
