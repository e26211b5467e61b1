import { type CostMeter, runMetered } from '../common/cost-meter.js';
import { StoreContentionError, StoreLimitError, TransactionAbortedError } from './store.errors.js';
import { Store, type AdapterTransaction } from './store.js';
import type { Mutation } from './store.types.js';
import { chunkForCommits, entityBytes } from './store.limits.js';
import { STORE_LIMITS, type Entity, type Key, type Query, type QueryResult } from './store.types.js';

/** A scripted adapter: each begun transaction aborts at commit while `abortsLeft` > 0. */
class ScriptedStore extends Store {
  abortsLeft = 0;
  writeAbortsLeft = 0;
  commits: Mutation[][] = [];
  rollbacks = 0;
  begun = 0;

  protected lookup(keys: readonly Key[]): Promise<(Entity | undefined)[]> {
    return Promise.resolve(keys.map(() => undefined));
  }
  protected commit(mutations: readonly Mutation[]): Promise<void> {
    if (this.writeAbortsLeft > 0) {
      this.writeAbortsLeft -= 1;
      return Promise.reject(new TransactionAbortedError('contention'));
    }
    this.commits.push([...mutations]);
    return Promise.resolve();
  }
  protected runQuery(_query: Query): Promise<QueryResult> {
    return Promise.resolve({ entities: [], moreResults: false });
  }
  protected beginTransaction(): Promise<AdapterTransaction> {
    this.begun += 1;
    return Promise.resolve({
      get: (keys) => this.lookup(keys),
      commit: (mutations) => {
        if (this.abortsLeft > 0) {
          this.abortsLeft -= 1;
          return Promise.reject(new TransactionAbortedError('contention'));
        }
        return this.commit(mutations);
      },
      rollback: () => {
        this.rollbacks += 1;
        return Promise.resolve();
      },
    });
  }
  protected probe(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const key: Key = { kind: 'Counter', name: 'c' };

describe('Store', () => {
  let sut: ScriptedStore;

  beforeEach(() => {
    sut = new ScriptedStore();
  });

  it('should retry an aborted transaction and commit its writes once', async () => {
    sut.abortsLeft = 2;

    const result = await sut.runInTransaction(
      (tx) => {
        tx.upsert([{ key, data: { n: 1 } }]);
        return Promise.resolve('done');
      },
      { baseDelayMs: 1 },
    );

    expect(result).toBe('done');
    expect(sut.begun).toBe(3);
    expect(sut.commits).toEqual([[{ op: 'upsert', entity: { key, data: { n: 1 } } }]]);
  });

  it('should give up with a typed contention error after the last attempt', async () => {
    sut.abortsLeft = 100;

    const attempt = sut.runInTransaction(() => Promise.resolve(), { maxAttempts: 4, baseDelayMs: 1 });

    await expect(attempt).rejects.toBeInstanceOf(StoreContentionError);
    await expect(attempt).rejects.toMatchObject({ attempts: 4 });
    expect(sut.begun).toBe(4);
  });

  it('should retry a plain write whose commit aborted', async () => {
    sut.writeAbortsLeft = 2;

    await sut.upsert([
      { key, data: { n: 1 } },
      { key: { kind: 'Counter', name: 'd' }, data: { n: 2 } },
    ]);

    expect(sut.writeAbortsLeft).toBe(0);
    expect(sut.commits).toHaveLength(1);
  });

  it('should roll back and rethrow when the work throws, committing nothing', async () => {
    const failure = new Error('rule broken');

    await expect(
      sut.runInTransaction((tx) => {
        tx.upsert([{ key, data: {} }]);
        return Promise.reject(failure);
      }),
    ).rejects.toBe(failure);

    expect(sut.rollbacks).toBe(1);
    expect(sut.commits).toEqual([]);
  });

  it('should refuse a commit of more than 500 mutations before it reaches the adapter', async () => {
    const entities = Array.from({ length: 501 }, (_, i) => ({ key: { kind: 'K', name: `k${i}` }, data: {} }));

    await expect(sut.upsert(entities)).rejects.toThrow(
      new StoreLimitError('501 mutations in one commit (at most 500)'),
    );
    expect(sut.commits).toEqual([]);
  });

  it('should refuse an indexed string over 1,500 bytes but store it when excluded from indexes', async () => {
    const long = 'é'.repeat(751);

    await expect(sut.upsert([{ key, data: { bio: long } }])).rejects.toBeInstanceOf(StoreLimitError);
    await expect(sut.upsert([{ key, data: { bio: long }, excludeFromIndexes: ['bio'] }])).resolves.toBeUndefined();
  });

  it('should refuse an entity over 1 MiB', async () => {
    const data = { blob: 'x'.repeat(1_048_576) };

    await expect(sut.upsert([{ key, data, excludeFromIndexes: ['blob'] }])).rejects.toThrow(
      /bytes \(at most 1048572\)/,
    );
  });

  it('should count every round trip in the current request context', async () => {
    const context: CostMeter = { storeCalls: 0, storeMs: 0 };

    await runMetered(context, async () => {
      await sut.get([key]);
      await sut.runInTransaction(async (tx) => {
        await tx.get([key]);
      });
    });

    expect(context.storeCalls).toBe(4);
    expect(context.storeMs).toBeGreaterThanOrEqual(0);
  });
});

describe('chunkForCommits', () => {
  const entity = (name: string, bytes: number) => ({ key: { kind: 'K', name }, data: { blob: 'x'.repeat(bytes) } });

  it('should keep each commit within 500 mutations and the request size', () => {
    const small = Array.from({ length: 1200 }, (_, i) => entity(`s${i}`, 10));
    const big = Array.from({ length: 10 }, (_, i) => entity(`b${i}`, 1_000_000));

    expect(chunkForCommits(small).map((piece) => piece.length)).toEqual([500, 500, 200]);
    const pieces = chunkForCommits(big);
    expect(pieces.flat()).toHaveLength(10);
    expect(
      pieces.every((piece) => piece.reduce((total, e) => total + entityBytes(e), 0) <= STORE_LIMITS.requestBytes),
    ).toBe(true);
    expect(pieces.length).toBe(4);
  });
});
