import { EntityExistsError, StoreContentionError } from '../store.errors.js';
import type { Key, Transaction } from '../store.types.js';
import { EmbeddedStore } from './embedded-store.js';

describe('EmbeddedStore transactions', () => {
  let sut: EmbeddedStore;
  const counter: Key = { kind: 'Counter', name: 'likes' };

  const increment = async (tx: Transaction) => {
    const [current] = await tx.get([counter]);
    tx.upsert([{ key: counter, data: { n: ((current?.data.n as number | undefined) ?? 0) + 1 } }]);
  };
  const count = async () => (await sut.get([counter]))[0]?.data.n;

  beforeEach(async () => {
    sut = await EmbeddedStore.open({ indexes: [] });
  });

  afterEach(async () => {
    await sut.close();
  });

  it('should commit exactly one of two overlapping transactions that touch the same entity', async () => {
    await sut.upsert([{ key: counter, data: { n: 0 } }]);
    let reads = 0;
    let bothRead!: () => void;
    const barrier = new Promise<void>((resolve) => (bothRead = resolve));
    const attempt = () =>
      sut.runInTransaction(
        async (tx) => {
          await increment(tx);
          if (++reads === 2) {
            bothRead();
          }
          await barrier;
        },
        { maxAttempts: 1 },
      );

    const outcomes = await Promise.allSettled([attempt(), attempt()]);

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const [failure] = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failure.reason).toBeInstanceOf(StoreContentionError);
    expect(await count()).toBe(1);
  });

  it('should end 50 concurrent increments with the exact total when retries are allowed', async () => {
    const runs = Array.from({ length: 50 }, () =>
      sut.runInTransaction(increment, { maxAttempts: 200, baseDelayMs: 1, maxDelayMs: 10 }),
    );

    await Promise.all(runs);

    expect(await count()).toBe(50);
  });

  it('should count exactly the increments that committed, the others failing with StoreContentionError', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => sut.runInTransaction(increment)));

    const committed = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failures.every((failure) => failure.reason instanceof StoreContentionError)).toBe(true);
    expect(committed).toBeGreaterThan(0);
    expect(await count()).toBe(committed);
  });

  it('should abort a transaction whose absent entity was created meanwhile', async () => {
    const outcome = sut.runInTransaction(
      async (tx) => {
        await increment(tx);
        await sut.upsert([{ key: counter, data: { n: 10 } }]);
      },
      { maxAttempts: 1 },
    );

    await expect(outcome).rejects.toBeInstanceOf(StoreContentionError);
    expect(await count()).toBe(10);
  });

  it('should abort a transaction whose entity was deleted meanwhile', async () => {
    await sut.upsert([{ key: counter, data: { n: 5 } }]);

    const outcome = sut.runInTransaction(
      async (tx) => {
        await increment(tx);
        await sut.delete([counter]);
      },
      { maxAttempts: 1 },
    );

    await expect(outcome).rejects.toBeInstanceOf(StoreContentionError);
    expect(await count()).toBeUndefined();
  });

  it('should fail a transaction inserting an existing key and write none of its mutations', async () => {
    await sut.upsert([{ key: { kind: 'Marker', name: 'm' }, data: {} }]);

    const outcome = sut.runInTransaction(async (tx) => {
      await increment(tx);
      tx.insert([{ key: { kind: 'Marker', name: 'm' }, data: { again: true } }]);
    });

    await expect(outcome).rejects.toBeInstanceOf(EntityExistsError);
    expect(await count()).toBeUndefined();
  });

  it('should read committed data inside a transaction and return what the work returned', async () => {
    await sut.upsert([{ key: counter, data: { n: 41 } }]);

    const result = await sut.runInTransaction(async (tx) => {
      await increment(tx);
      const [seen] = await tx.get([counter]);
      return seen?.data.n;
    });

    expect(result).toBe(41);
    expect(await count()).toBe(42);
  });
});
