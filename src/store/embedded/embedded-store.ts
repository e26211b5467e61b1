import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { CompositeIndex } from '../index-definitions.js';
import { StoreUnavailableError } from '../store.errors.js';
import { Store } from '../store.js';
import type { AdapterTransaction } from '../store.js';
import type { Entity, Key, Mutation, Query, QueryResult } from '../store.types.js';
import { encodeKey } from './encoding.js';
import type { IndexSet } from './index-set.js';
import { assertLegacyLockFree, hasLegacyLog, readLegacyLog, setLegacyLogAside } from './legacy-log.js';
import { planQuery } from './query-planner.js';
import { runPlan } from './query-runner.js';
import {
  DATABASE_FILE,
  DirectoryLock,
  checkIntegrity,
  damaged,
  isDamage,
  openDatabase,
  syncDirectory,
} from './sqlite-database.js';
import { SqliteRows } from './sqlite-rows.js';
import { type CommitRequest, SqliteWriter, errorOf } from './sqlite-writer.js';
import { ReadCache } from './read-cache.js';
import { type StoredEntity, publicEntity } from './stored-entity.js';
import { type CommitChannel, InThreadChannel, WorkerChannel } from './writer-thread.js';

export interface EmbeddedStoreOptions {
  /** Where the database lives; undefined keeps everything in memory (tests, STORE=memory). */
  readonly dataDir?: string;
  readonly indexes: readonly CompositeIndex[];
  /** Sync every commit to disk before acknowledging it (default true); without it a commit survives kill -9. */
  readonly fsync?: boolean;
  /** Where the store says what it did on opening (a conversion, a new index built). */
  readonly log?: (message: string) => void;
}

/** Rows the read cache keeps: a few megabytes of the most read users, terms, counters and markers. */
const CACHED_ROWS = 10_000;

interface PendingCommit {
  readonly request: CommitRequest;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The Datastore port on one machine, on SQLite (node:sqlite): entities and index entries in WITHOUT ROWID tables,
 * queries answered from the indexes by the same planner as before (or MissingIndexError), optimistic transactions
 * by entity version. Reads run here; commits go to a writer thread (a writer in this thread for `:memory:`), which
 * applies the commits that arrived meanwhile in one SQLite transaction: one sync per group, off the event loop. A
 * commit is acknowledged, and visible to readers, only once that transaction is durable.
 */
export class EmbeddedStore extends Store {
  /** Index entries queries have looked at since open: what queries cost, whatever else is stored. */
  entitiesExamined = 0;
  /** Commits are applied one after the other: a second transaction of a hot owner would only conflict. */
  override readonly commitConcurrency = 1;
  private readonly rows: SqliteRows;
  private readonly indexes: IndexSet;
  private readonly cache = new ReadCache(CACHED_ROWS);
  private pending: PendingCommit[] = [];
  private scheduled = false;
  private inFlight?: Promise<void>;
  private failure?: StoreUnavailableError;
  private closed = false;
  private closing?: Promise<void>;

  private constructor(
    private readonly db: DatabaseSync,
    path: string,
    private readonly lock: DirectoryLock | undefined,
    definitions: readonly CompositeIndex[],
    private readonly channel: CommitChannel,
  ) {
    super();
    this.rows = new SqliteRows(db, path);
    this.indexes = this.rows.indexSet(definitions);
  }

  static async open(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
    const { dataDir, fsync = true, log = () => undefined } = options;
    if (dataDir === undefined) {
      const db = openDatabase(undefined, fsync);
      const writer = new InThreadChannel(new SqliteWriter(db, ':memory:', options.indexes));
      return new EmbeddedStore(db, ':memory:', undefined, options.indexes, writer);
    }
    mkdirSync(dataDir, { recursive: true });
    const lock = DirectoryLock.acquire(dataDir);
    const path = join(dataDir, DATABASE_FILE);
    try {
      if (hasLegacyLog(dataDir) && !existsSync(path)) {
        assertLegacyLockFree(dataDir);
        log(convert(dataDir, path, options.indexes));
      }
      const db = openDatabase(path, fsync);
      try {
        checkIntegrity(db, path);
        new SqliteWriter(db, path, options.indexes).buildIndexes(log);
        const writer = await WorkerChannel.start(path, fsync, options.indexes);
        return new EmbeddedStore(db, path, lock, options.indexes, writer);
      } catch (error) {
        db.close();
        throw error;
      }
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  close(): Promise<void> {
    this.closed = true;
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    // Commits already accepted are written before the database closes.
    while (this.pending.length > 0 || this.scheduled || this.inFlight) {
      await (this.inFlight ?? new Promise((resolve) => setImmediate(resolve)));
    }
    await this.channel.close();
    this.db.close();
    this.lock?.release();
  }

  protected lookup(keys: readonly Key[]): Promise<(Entity | undefined)[]> {
    return this.whileOpen(() => this.snapshot(() => keys.map((key) => this.read(encodeKey(key)))));
  }

  protected commit(mutations: readonly Mutation[]): Promise<void> {
    return this.enqueue({ mutations, touched: [] });
  }

  protected runQuery(query: Query): Promise<QueryResult> {
    return this.whileOpen(() => this.snapshot(() => this.answer(query)));
  }

  /** A query's page from one snapshot: index entries and entities as one commit left them, never half of one. */
  private answer(query: Query): QueryResult {
    const cache = new Map<string, StoredEntity>();
    const load = (id: string): StoredEntity => {
      let entity = cache.get(id);
      if (!entity) {
        entity = this.stored(id);
        if (!entity) {
          throw this.unavailable(damagedIndex());
        }
        cache.set(id, entity);
      }
      return entity;
    };
    const page = runPlan(planQuery(query, this.indexes), query, load);
    this.entitiesExamined += page.examined;
    return {
      entities: page.ids.map((id) => publicEntity(load(id), query.keysOnly)),
      endCursor: page.endCursor,
      moreResults: page.moreResults,
    };
  }

  protected beginTransaction(): Promise<AdapterTransaction> {
    return this.whileOpen(() => this.transaction());
  }

  protected probe(): Promise<void> {
    return this.whileOpen(() => undefined);
  }

  private transaction(): AdapterTransaction {
    // The version of every key at its first touch; any of them changed by commit time aborts the commit.
    const touched = new Map<string, readonly [string, number, Key]>();
    const touch = (key: Key, version?: number) => {
      const id = encodeKey(key);
      if (!touched.has(id)) {
        touched.set(id, [id, version ?? this.guard(() => this.rows.versionOf(id)), key]);
      }
      return id;
    };
    return {
      get: (keys) =>
        this.whileOpen(() =>
          this.snapshot(() =>
            keys.map((key) => {
              const entity = this.guard(() => this.rows.stored(encodeKey(key)));
              touch(key, entity?.version ?? 0);
              return entity && publicEntity(entity);
            }),
          ),
        ),
      commit: (mutations) => {
        mutations.forEach((mutation) => touch(mutation.op === 'delete' ? mutation.key : mutation.entity.key));
        return this.enqueue({ mutations, touched: [...touched.values()] });
      },
      rollback: () => Promise.resolve(),
    };
  }

  /** Queues a commit; it goes to the writer with everything queued before the writer was free again. */
  private enqueue(request: CommitRequest): Promise<void> {
    return new Promise((resolve, reject) => {
      this.assertOpen();
      this.pending.push({ request, resolve, reject });
      this.schedule();
    });
  }

  /** The next group leaves once this turn of the event loop is over and the previous group is answered. */
  private schedule(): void {
    if (this.inFlight || this.scheduled) {
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.inFlight = this.send().finally(() => {
        this.inFlight = undefined;
        if (this.pending.length > 0) {
          this.schedule();
        }
      });
    });
  }

  /** Sends the queued commits as one group and settles each with its outcome. */
  private async send(): Promise<void> {
    const group = this.pending;
    this.pending = [];
    if (group.length > 0) {
      const written = group.flatMap((commit) =>
        commit.request.mutations.map((mutation) =>
          encodeKey(mutation.op === 'delete' ? mutation.key : mutation.entity.key),
        ),
      );
      this.cache.writeStarts(written);
      try {
        const outcomes = await this.channel.commit(group.map((commit) => commit.request));
        group.forEach((commit, i) => {
          const outcome = outcomes[i];
          if (outcome.ok) {
            commit.resolve();
          } else {
            commit.reject(errorOf(outcome));
          }
        });
      } catch (error) {
        const failure = this.unavailable(error);
        if (this.channel.failed) {
          // Nothing can be written any more: out of service (readiness fails), so the instance is replaced.
          this.failure ??= failure;
        }
        group.forEach((commit) => commit.reject(failure));
      } finally {
        this.cache.writeEnds(written);
      }
    }
  }

  /**
   * Runs reads in one read transaction: the writer thread commits on its own connection meanwhile, and a read
   * transaction sees the database as of its first read (WAL), so no answer mixes two states.
   */
  private snapshot<T>(reads: () => T): T {
    if (this.db.isTransaction) {
      return reads();
    }
    this.guard(() => this.db.exec('BEGIN'));
    try {
      return reads();
    } finally {
      this.db.exec('COMMIT');
    }
  }

  private read(id: string): Entity | undefined {
    const entity = this.stored(id);
    return entity && publicEntity(entity);
  }

  /** A row outside a transaction: from the read cache, or read and kept there. */
  private stored(id: string): StoredEntity | undefined {
    const cached = this.cache.get(id);
    if (cached !== undefined) {
      return cached ?? undefined;
    }
    const entity = this.guard(() => this.rows.stored(id));
    this.cache.keep(id, entity);
    return entity;
  }

  /** A read that finds the file damaged takes the whole store out of service, loudly, instead of answering wrong. */
  private guard<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  private unavailable(error: unknown): StoreUnavailableError {
    if (isDamage(error) || (error instanceof StoreUnavailableError && /is damaged/.test(error.message))) {
      this.failure ??= error instanceof StoreUnavailableError ? error : damaged(this.rows.path, error);
      return this.failure;
    }
    if (error instanceof StoreUnavailableError) {
      return error;
    }
    return new StoreUnavailableError(`cannot read ${this.rows.path}: ${(error as Error).message}`);
  }

  /** Runs `work` and settles with its result, or rejects (with StoreUnavailableError once closed or damaged). */
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
    if (this.channel.failed) {
      // The writer thread died: nothing can be stored any more, so readiness fails and the instance is replaced.
      this.failure ??= this.unavailable(this.channel.failed);
    }
    if (this.failure) {
      throw this.failure;
    }
  }
}

/**
 * Converts a data folder of the earlier log format: the log is replayed into a new database beside the final one,
 * which takes its name only once complete, so a conversion cut short starts over; the log is kept aside.
 */
function convert(dataDir: string, path: string, indexes: readonly CompositeIndex[]): string {
  const partial = `${path}.converting`;
  rmSync(partial, { force: true });
  const db = openDatabase(partial, true);
  try {
    const writer = new SqliteWriter(db, partial, indexes);
    db.exec('BEGIN IMMEDIATE');
    const { records, torn } = readLegacyLog(dataDir, (operations) => writer.replay(operations));
    db.exec('COMMIT');
    const entities = Number((db.prepare('SELECT count(*) AS n FROM entity').get() as { n: number }).n);
    db.close();
    renameSync(partial, path);
    // The database's name must be on disk before the log leaves its own: otherwise a crash could leave neither.
    syncDirectory(dataDir);
    const aside = setLegacyLogAside(dataDir);
    return (
      `embedded store: converted ${records} commits of ${aside} into ${path} (${entities} entities` +
      `${torn > 0 ? `; ${torn} bytes of a commit cut off by a crash were not acknowledged and are dropped` : ''}); ` +
      'the old log is kept aside'
    );
  } catch (error) {
    if (db.isOpen) {
      db.close();
    }
    rmSync(partial, { force: true });
    throw error;
  }
}

/** An index entry whose entity is gone: SQLite kept both in one transaction, so only damage does this. */
function damagedIndex(): Error {
  return Object.assign(new Error('an index entry names an entity that is not stored'), { errcode: 11 });
}
