import { noteStoreRoundTrip, noteStoreRoundTripStart } from '../common/cost-meter.js';
import { StoreContentionError, TransactionAbortedError } from './store.errors.js';
import { validateKeys, validateMutations, validateQuery } from './store.limits.js';
import type {
  Entity,
  EntityData,
  Key,
  Mutation,
  Query,
  QueryResult,
  Transaction,
  TransactionOptions,
} from './store.types.js';

/** One open transaction of an adapter: reads, then one commit of the buffered mutations, or a rollback. */
export interface AdapterTransaction {
  get(keys: readonly Key[]): Promise<(Entity | undefined)[]>;
  /** Throws TransactionAbortedError when a concurrent writer won, EntityExistsError for a taken insert. */
  commit(mutations: readonly Mutation[]): Promise<void>;
  rollback(): Promise<void>;
}

const DEFAULT_TRANSACTION_OPTIONS: Required<TransactionOptions> = { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 400 };

/**
 * The Datastore port. Adapters implement the protected primitives; this class checks Datastore's limits,
 * counts every round trip for Server-Timing, and owns the one transaction retry loop.
 */
export abstract class Store {
  /**
   * Transactions of one entity group worth running at once: Cloud Datastore commits them in parallel, the embedded
   * store one after the other, where a second only conflicts with the first.
   */
  readonly commitConcurrency: number = Number.POSITIVE_INFINITY;

  protected abstract lookup(keys: readonly Key[]): Promise<(Entity | undefined)[]>;
  protected abstract commit(mutations: readonly Mutation[]): Promise<void>;
  protected abstract runQuery(query: Query): Promise<QueryResult>;
  protected abstract beginTransaction(): Promise<AdapterTransaction>;
  /** Resolves when the store answers; rejects with StoreUnavailableError otherwise. */
  protected abstract probe(): Promise<void>;
  abstract close(): Promise<void>;

  /** Entities in the order of `keys`, undefined where absent. */
  async get<T extends EntityData = EntityData>(keys: readonly Key[]): Promise<(Entity<T> | undefined)[]> {
    if (keys.length === 0) {
      return [];
    }
    validateKeys(keys);
    return (await this.timed(() => this.lookup(keys))) as (Entity<T> | undefined)[];
  }

  upsert(entities: readonly Entity[]): Promise<void> {
    return this.write(entities.map((entity) => ({ op: 'upsert', entity })));
  }

  /** Fails with EntityExistsError if any key exists; then nothing is written. */
  insert(entities: readonly Entity[]): Promise<void> {
    return this.write(entities.map((entity) => ({ op: 'insert', entity })));
  }

  delete(keys: readonly Key[]): Promise<void> {
    return this.write(keys.map((key) => ({ op: 'delete', key })));
  }

  /** Mutations of different kinds in one atomic commit. */
  async write(mutations: readonly Mutation[]): Promise<void> {
    if (mutations.length === 0) {
      return;
    }
    validateMutations(mutations);
    // A commit of several mutations may run as a single-use transaction, which contention can abort.
    await this.retryAborted(() => this.timed(() => this.commit(mutations)), DEFAULT_TRANSACTION_OPTIONS);
  }

  async query<T extends EntityData = EntityData>(query: Query): Promise<QueryResult<T>> {
    validateQuery(query);
    return (await this.timed(() => this.runQuery(query))) as QueryResult<T>;
  }

  ping(): Promise<void> {
    return this.timed(() => this.probe());
  }

  /**
   * Runs `work` in a transaction and commits what it wrote, retrying the whole function with jittered
   * exponential backoff while concurrent writers abort it. `work` may run several times: it must only read
   * and write through `tx`. After the last attempt, throws StoreContentionError.
   */
  runInTransaction<T>(work: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.retryAborted(() => this.attemptTransaction(work), { ...DEFAULT_TRANSACTION_OPTIONS, ...options });
  }

  /** The one retry loop: jittered exponential backoff while attempts abort, then StoreContentionError. */
  private async retryAborted<T>(attempt: () => Promise<T>, options: Required<TransactionOptions>): Promise<T> {
    const { maxAttempts, baseDelayMs, maxDelayMs } = options;
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof TransactionAbortedError)) {
          throw error;
        }
        if (tries >= maxAttempts) {
          throw new StoreContentionError(tries);
        }
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (tries - 1));
        await sleep(Math.random() * ceiling);
      }
    }
  }

  private async attemptTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const inner = await this.timed(() => this.beginTransaction());
    const mutations: Mutation[] = [];
    const tx: Transaction = {
      get: async <D extends EntityData>(keys: readonly Key[]) => {
        if (keys.length === 0) {
          return [];
        }
        validateKeys(keys);
        return (await this.timed(() => inner.get(keys))) as (Entity<D> | undefined)[];
      },
      upsert: (entities) => mutations.push(...entities.map((entity) => ({ op: 'upsert' as const, entity }))),
      insert: (entities) => mutations.push(...entities.map((entity) => ({ op: 'insert' as const, entity }))),
      delete: (keys) => mutations.push(...keys.map((key) => ({ op: 'delete' as const, key }))),
    };
    let result: T;
    try {
      result = await work(tx);
      validateMutations(mutations);
    } catch (error) {
      await inner.rollback().catch(() => undefined);
      throw error;
    }
    await this.timed(() => inner.commit(mutations));
    return result;
  }

  private async timed<T>(call: () => Promise<T>): Promise<T> {
    noteStoreRoundTripStart();
    const started = performance.now();
    try {
      return await call();
    } finally {
      noteStoreRoundTrip(performance.now() - started);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
