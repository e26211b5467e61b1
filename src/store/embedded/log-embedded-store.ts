import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CompositeIndex } from '../index-definitions.js';
import { EntityExistsError, StoreUnavailableError, TransactionAbortedError, formatKey } from '../store.errors.js';
import { Store } from '../store.js';
import type { AdapterTransaction } from '../store.js';
import type { Mutation } from '../store.types.js';
import type { Entity, Key, Query, QueryResult } from '../store.types.js';
import { DirectoryLock } from './directory-lock.js';
import { encodeKey } from './encoding.js';
import { IndexSet } from './index-set.js';
import { SortedIndex } from './sorted-index.js';
import { planQuery } from './query-planner.js';
import { runPlan } from './query-runner.js';
import {
  deserializeOperation,
  keyFromPath,
  keyPath,
  publicEntity,
  serializeOperation,
  storedEntity,
} from './stored-entity.js';
import type { StoredEntity } from './stored-entity.js';
import { WriteAheadLog } from './write-ahead-log.js';

export interface EmbeddedStoreOptions {
  /** Where the log lives; undefined keeps everything in memory (tests). */
  readonly dataDir?: string;
  readonly indexes: readonly CompositeIndex[];
  /** fdatasync before acknowledging a commit (default true); without it a commit survives kill -9, not power loss. */
  readonly fsync?: boolean;
  /** The log is compacted once it is past this size and twice the live data (default 8 MiB). */
  readonly compactionMinBytes?: number;
}

interface Touched {
  readonly key: Key;
  readonly version: number;
}

interface Durability {
  readonly lock: DirectoryLock;
  readonly log: WriteAheadLog;
  readonly compactionMinBytes: number;
}

/**
 * The Datastore port in process: an entity table plus ordered indexes in memory, made durable by a
 * write-ahead log under `dataDir`. Same contract as Cloud Datastore: inserts of existing keys fail, queries
 * are answered from indexes (or fail with MissingIndexError), transactions are optimistic.
 */
export class LogEmbeddedStore extends Store {
  /** Index entries queries have looked at since open: what queries cost, whatever else is stored. */
  entitiesExamined = 0;
  private readonly entities = new Map<string, StoredEntity>();
  private readonly indexes: IndexSet;
  private durability?: Durability;
  private sequence = 0;
  /** Bytes of log records that still describe a stored entity. */
  private liveBytes = 0;
  private compaction?: Promise<void>;
  private compactAbove = 0;
  private closed = false;

  private constructor(indexes: readonly CompositeIndex[]) {
    super();
    this.indexes = new IndexSet(indexes, () => new SortedIndex());
  }

  static async open(options: EmbeddedStoreOptions): Promise<LogEmbeddedStore> {
    const store = new LogEmbeddedStore(options.indexes);
    if (options.dataDir === undefined) {
      return store;
    }
    mkdirSync(options.dataDir, { recursive: true });
    const lock = DirectoryLock.acquire(options.dataDir);
    try {
      const log = WriteAheadLog.open(join(options.dataDir, 'store.wal'), options.fsync ?? true, (operations) =>
        store.replay(operations),
      );
      const compactionMinBytes = options.compactionMinBytes ?? 8 << 20;
      store.durability = { lock, log, compactionMinBytes };
      store.compactAbove = compactionMinBytes;
      await store.compactIfDue();
    } catch (error) {
      lock.release();
      throw error;
    }
    return store;
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    if (this.durability) {
      try {
        await this.durability.log.close();
      } finally {
        this.durability.lock.release();
      }
    }
  }

  protected lookup(keys: readonly Key[]): Promise<(Entity | undefined)[]> {
    return this.whileOpen(() => keys.map((key) => this.read(encodeKey(key))));
  }

  protected commit(mutations: readonly Mutation[]): Promise<void> {
    return this.apply(mutations);
  }

  protected runQuery(query: Query): Promise<QueryResult> {
    return this.whileOpen(() => {
      const page = runPlan(planQuery(query, this.indexes), query, (id) => this.entities.get(id) as StoredEntity);
      this.entitiesExamined += page.examined;
      return {
        entities: page.ids.map((id) => publicEntity(this.entities.get(id) as StoredEntity, query.keysOnly)),
        endCursor: page.endCursor,
        moreResults: page.moreResults,
      };
    });
  }

  protected beginTransaction(): Promise<AdapterTransaction> {
    return this.whileOpen(() => this.transaction());
  }

  protected probe(): Promise<void> {
    return this.whileOpen(() => undefined);
  }

  private transaction(): AdapterTransaction {
    // The version of every key at its first touch; any of them changed by commit time aborts the commit.
    const touched = new Map<string, Touched>();
    const touch = (key: Key) => {
      const id = encodeKey(key);
      if (!touched.has(id)) {
        touched.set(id, { key, version: this.versionOf(id) });
      }
      return id;
    };
    return {
      get: (keys) => this.whileOpen(() => keys.map(touch).map((id) => this.read(id))),
      commit: (mutations) => {
        mutations.map(mutationKey).forEach(touch);
        return this.apply(mutations, touched);
      },
      rollback: () => Promise.resolve(),
    };
  }

  /** Checks, logs and applies a commit without yielding, so commits are serial; only the fsync is awaited. */
  private async apply(mutations: readonly Mutation[], touched?: ReadonlyMap<string, Touched>): Promise<void> {
    this.assertOpen();
    for (const [id, { key, version }] of touched ?? []) {
      if (this.versionOf(id) !== version) {
        throw new TransactionAbortedError(`transaction aborted: ${formatKey(key)} changed concurrently`);
      }
    }
    const exists = new Map<string, boolean>();
    const ids = mutations.map((mutation) => encodeKey(mutationKey(mutation)));
    mutations.forEach((mutation, i) => {
      if (mutation.op === 'insert' && (exists.get(ids[i]) ?? this.entities.has(ids[i]))) {
        throw new EntityExistsError(mutation.entity.key);
      }
      exists.set(ids[i], mutation.op !== 'delete');
    });
    if (mutations.length === 0) {
      return;
    }
    const version = ++this.sequence;
    const log = this.durability?.log;
    const operations = log && mutations.map(logOperation);
    log?.append(operations ?? []);
    mutations.forEach((mutation, i) => {
      const bytes = operations?.[i].length ?? 0;
      this.store(ids[i], mutation.op === 'delete' ? undefined : storedEntity(mutation.entity, version, bytes));
    });
    if (log) {
      void this.compactIfDue();
      await log.flush();
    }
  }

  private replay(operations: Buffer[]): void {
    const version = ++this.sequence;
    for (const bytes of operations) {
      const operation = deserializeOperation(bytes);
      const key = keyFromPath(operation.path);
      const next =
        operation.op === 'put'
          ? storedEntity({ key, data: operation.data, excludeFromIndexes: operation.excluded }, version, bytes.length)
          : undefined;
      this.store(encodeKey(key), next);
    }
  }

  private store(id: string, next: StoredEntity | undefined): void {
    const previous = this.entities.get(id);
    if (next) {
      this.entities.set(id, next);
    } else {
      this.entities.delete(id);
    }
    this.liveBytes += (next?.bytes ?? 0) - (previous?.bytes ?? 0);
    this.indexes.replace(previous, next);
  }

  /** Rewrites the log as a snapshot once it is mostly superseded records; commits go on meanwhile. */
  private compactIfDue(): Promise<void> {
    const durability = this.durability;
    if (!durability || this.compaction || durability.log.bytes < Math.max(this.compactAbove, 2 * this.liveBytes)) {
      return this.compaction ?? Promise.resolve();
    }
    const snapshot = [...this.entities.values()];
    const operations = function* () {
      for (const entity of snapshot) {
        yield serializeOperation({
          op: 'put',
          path: keyPath(entity.key),
          data: entity.data,
          excluded: entity.excluded,
        });
      }
    };
    this.compaction = durability.log
      .rewrite(operations())
      .then(
        () => {
          this.compactAbove = durability.compactionMinBytes;
        },
        () => {
          // A failed compaction leaves the old log in use; wait for more growth before trying again.
          this.compactAbove = durability.log.bytes + durability.compactionMinBytes;
        },
      )
      .finally(() => {
        this.compaction = undefined;
      });
    return this.compaction;
  }

  private read(id: string): Entity | undefined {
    const entity = this.entities.get(id);
    return entity && publicEntity(entity);
  }

  private versionOf(id: string): number {
    return this.entities.get(id)?.version ?? 0;
  }

  /** Runs `work` and settles with its result, or rejects (with StoreUnavailableError once closed). */
  private whileOpen<T>(work: () => T): Promise<T> {
    return new Promise((resolve) => {
      this.assertOpen();
      resolve(work());
    });
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new StoreUnavailableError('the embedded store is closed');
    }
  }
}

function mutationKey(mutation: Mutation): Key {
  return mutation.op === 'delete' ? mutation.key : mutation.entity.key;
}

function logOperation(mutation: Mutation): Buffer {
  if (mutation.op === 'delete') {
    return serializeOperation({ op: 'delete', path: keyPath(mutation.key) });
  }
  const { key, data, excludeFromIndexes = [] } = mutation.entity;
  return serializeOperation({ op: 'put', path: keyPath(key), data, excluded: excludeFromIndexes });
}
