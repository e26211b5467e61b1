import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { CompositeIndex } from '../index-definitions.js';
import { EntityExistsError, StoreUnavailableError, TransactionAbortedError, formatKey } from '../store.errors.js';
import { Store } from '../store.js';
import type { AdapterTransaction } from '../store.js';
import type { Entity, Key, Mutation, Query, QueryResult } from '../store.types.js';
import { encodeKey } from './encoding.js';
import { IndexSet } from './index-set.js';
import { hasLegacyLog, readLegacyLog, setLegacyLogAside } from './legacy-log.js';
import { planQuery } from './query-planner.js';
import { runPlan } from './query-runner.js';
import {
  DATABASE_FILE,
  DirectoryLock,
  checkIntegrity,
  damaged,
  isDamage,
  openDatabase,
  prepare,
  type Statements,
} from './sqlite-database.js';
import { SqliteEntryTree, fromBytes, toBytes } from './sqlite-entry-tree.js';
import {
  type LogOperation,
  type StoredEntity,
  deserializeOperation,
  keyFromPath,
  keyPath,
  publicEntity,
  serializeOperation,
  storedEntity,
} from './stored-entity.js';

export interface EmbeddedStoreOptions {
  /** Where the database lives; undefined keeps everything in memory (tests, STORE=memory). */
  readonly dataDir?: string;
  readonly indexes: readonly CompositeIndex[];
  /** Sync every commit to disk before acknowledging it (default true); without it a commit survives kill -9. */
  readonly fsync?: boolean;
  /** Where the store says what it did on opening (a conversion, a new index built). */
  readonly log?: (message: string) => void;
}

interface Touched {
  readonly key: Key;
  readonly version: number;
  /** The entity as the transaction read it (undefined when absent); `loaded` false when only its version was read. */
  readonly entity?: StoredEntity;
  readonly loaded: boolean;
}

interface PendingCommit {
  readonly mutations: readonly Mutation[];
  readonly touched?: ReadonlyMap<string, Touched>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The Datastore port on one machine, on SQLite (node:sqlite): entities and index entries in WITHOUT ROWID tables,
 * queries answered from the indexes by the same planner as before (or MissingIndexError), optimistic transactions
 * by entity version. Commits that arrive together are applied in one SQLite transaction, one savepoint each, so a
 * hot owner costs one sync per group; a commit is acknowledged, and visible, only once that transaction is durable.
 */
export class EmbeddedStore extends Store {
  /** Index entries queries have looked at since open: what queries cost, whatever else is stored. */
  entitiesExamined = 0;
  /** Commits are applied one after the other: a second transaction of a hot owner would only conflict. */
  override readonly commitConcurrency = 1;
  private readonly indexes: IndexSet;
  private readonly statements: Statements;
  private readonly indexNumbers = new Map<string, number>();
  private pending: PendingCommit[] = [];
  private flushScheduled = false;
  private sequence: number;
  private failure?: StoreUnavailableError;
  private closed = false;

  private constructor(
    private readonly db: DatabaseSync,
    private readonly path: string | undefined,
    private readonly lock: DirectoryLock | undefined,
    definitions: readonly CompositeIndex[],
  ) {
    super();
    this.statements = prepare(db);
    for (const row of this.statements.indexNames.all() as { ix: number; name: string }[]) {
      this.indexNumbers.set(row.name, row.ix);
    }
    this.indexes = new IndexSet(
      definitions,
      (name) =>
        new SqliteEntryTree(
          this.statements,
          () => this.indexNumbers.get(name),
          () => this.registerIndex(name),
        ),
    );
    this.sequence = Number((this.statements.getMeta.get('sequence') as { value?: number } | undefined)?.value ?? 0);
  }

  static async open(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
    const { dataDir, fsync = true, log = () => undefined } = options;
    if (dataDir === undefined) {
      const store = new EmbeddedStore(openDatabase(undefined, fsync), undefined, undefined, options.indexes);
      return Promise.resolve(store);
    }
    mkdirSync(dataDir, { recursive: true });
    const lock = DirectoryLock.acquire(dataDir);
    const path = join(dataDir, DATABASE_FILE);
    try {
      if (hasLegacyLog(dataDir) && !existsSync(path)) {
        log(EmbeddedStore.convert(dataDir, path, options.indexes));
      }
      const db = openDatabase(path, fsync);
      checkIntegrity(db, path);
      const store = new EmbeddedStore(db, path, lock, options.indexes);
      store.buildIndexes(log);
      return Promise.resolve(store);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /**
   * Converts a data folder of the earlier log format: the log is replayed into a new database beside the final one,
   * which takes its name only once complete, so a conversion cut short starts over; the log is kept aside.
   */
  private static convert(dataDir: string, path: string, indexes: readonly CompositeIndex[]): string {
    const partial = `${path}.converting`;
    rmSync(partial, { force: true });
    const store = new EmbeddedStore(openDatabase(partial, true), partial, undefined, indexes);
    store.db.exec('BEGIN IMMEDIATE');
    try {
      const { records, torn } = readLegacyLog(dataDir, (operations) => store.replay(operations));
      store.statements.putMeta.run('sequence', store.sequence);
      store.db.exec('COMMIT');
      const entities = Number((store.db.prepare('SELECT count(*) AS n FROM entity').get() as { n: number }).n);
      store.db.close();
      renameSync(partial, path);
      const aside = setLegacyLogAside(dataDir);
      return (
        `embedded store: converted ${records} commits of ${aside} into ${path} (${entities} entities` +
        `${torn > 0 ? `; ${torn} bytes of a commit cut off by a crash were not acknowledged and are dropped` : ''}); ` +
        'the old log is kept aside'
      );
    } catch (error) {
      if (store.db.isOpen) {
        store.db.close();
      }
      rmSync(partial, { force: true });
      throw error;
    }
  }

  /** One commit of the earlier log, replayed as it was made. */
  private replay(operations: readonly LogOperation[]): void {
    const version = ++this.sequence;
    for (const operation of operations) {
      const key = keyFromPath(operation.path);
      const next =
        operation.op === 'put'
          ? storedEntity({ key, data: operation.data, excludeFromIndexes: [...operation.excluded] }, version)
          : undefined;
      this.writeEntity(encodeKey(key), next);
    }
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    // Commits already accepted are written before the database closes.
    this.flush();
    this.db.close();
    this.lock?.release();
    return Promise.resolve();
  }

  protected lookup(keys: readonly Key[]): Promise<(Entity | undefined)[]> {
    return this.whileOpen(() => keys.map((key) => this.read(encodeKey(key))));
  }

  protected commit(mutations: readonly Mutation[]): Promise<void> {
    return this.enqueue(mutations);
  }

  protected runQuery(query: Query): Promise<QueryResult> {
    return this.whileOpen(() => {
      const cache = new Map<string, StoredEntity>();
      const load = (id: string): StoredEntity => {
        let entity: StoredEntity | undefined = cache.get(id);
        if (!entity) {
          entity = this.stored(id);
          if (!entity) {
            throw this.unavailable(damagedIndex(), 'cannot read');
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
    const read = (key: Key): Entity | undefined => {
      const id = encodeKey(key);
      const seen = touched.get(id);
      const entity = seen?.loaded ? seen.entity : this.stored(id);
      if (!seen) {
        touched.set(id, { key, version: entity?.version ?? 0, entity, loaded: true });
      } else if (!seen.loaded) {
        // Only its version was known: what is read now must be that version, or the commit aborts.
        touched.set(id, { ...seen, entity: seen.version === (entity?.version ?? 0) ? entity : undefined });
      }
      return entity && publicEntity(entity);
    };
    return {
      get: (keys) => this.whileOpen(() => keys.map(read)),
      commit: (mutations) => {
        for (const key of mutations.map(mutationKey)) {
          const id = encodeKey(key);
          if (!touched.has(id)) {
            touched.set(id, { key, version: this.versionOf(id), loaded: false });
          }
        }
        return this.enqueue(mutations, touched);
      },
      rollback: () => Promise.resolve(),
    };
  }

  /** Queues a commit for the next group: commits that arrive in the same turn of the event loop share one sync. */
  private enqueue(mutations: readonly Mutation[], touched?: ReadonlyMap<string, Touched>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.assertOpen();
      this.pending.push({ mutations, touched, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Applies the queued commits in one transaction, each in its own savepoint so one's failure spares the others. */
  private flush(): void {
    this.flushScheduled = false;
    const group = this.pending;
    this.pending = [];
    if (group.length === 0) {
      return;
    }
    const outcomes: unknown[] = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      if (group.length === 1) {
        // Alone in its group: a failure rolls the whole transaction back, no savepoint needed.
        this.apply(group[0]);
        outcomes.push(undefined);
      } else {
        for (const commit of group) {
          outcomes.push(this.applyInSavepoint(commit));
        }
      }
      this.statements.putMeta.run('sequence', this.sequence);
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.isTransaction) {
        this.db.exec('ROLLBACK');
      }
      const refused = group.length === 1 && isRefusal(error);
      const failure = refused ? error : this.unavailable(error, 'cannot commit');
      group.forEach((commit) => commit.reject(failure));
      return;
    }
    group.forEach((commit, i) => (outcomes[i] === undefined ? commit.resolve() : commit.reject(outcomes[i])));
  }

  /** One commit of a group in its own savepoint: its failure (returned) leaves the others' writes in place. */
  private applyInSavepoint(commit: PendingCommit): unknown {
    this.db.exec('SAVEPOINT one_commit');
    try {
      this.apply(commit);
      this.db.exec('RELEASE one_commit');
      return undefined;
    } catch (error) {
      this.db.exec('ROLLBACK TO one_commit');
      this.db.exec('RELEASE one_commit');
      return error;
    }
  }

  /** One commit inside the group's transaction: checks, then writes entities and their index entries. */
  private apply({ mutations, touched }: PendingCommit): void {
    for (const [id, { key, version }] of touched ?? []) {
      if (this.versionOf(id) !== version) {
        throw new TransactionAbortedError(`transaction aborted: ${formatKey(key)} changed concurrently`);
      }
    }
    const ids = mutations.map((mutation) => encodeKey(mutationKey(mutation)));
    const exists = new Map<string, boolean>();
    mutations.forEach((mutation, i) => {
      if (mutation.op === 'insert' && (exists.get(ids[i]) ?? this.versionOf(ids[i]) !== 0)) {
        throw new EntityExistsError(mutation.entity.key);
      }
      exists.set(ids[i], mutation.op !== 'delete');
    });
    if (mutations.length === 0) {
      return;
    }
    const version = ++this.sequence;
    const written = new Set<string>();
    mutations.forEach((mutation, i) => {
      // What the transaction read is still what is stored (its version was checked above): no second read, unless
      // this commit wrote the key already.
      const seen = touched?.get(ids[i]);
      const previous = seen?.loaded && !written.has(ids[i]) ? { entity: seen.entity } : undefined;
      written.add(ids[i]);
      this.writeEntity(ids[i], mutation.op === 'delete' ? undefined : storedEntity(mutation.entity, version), previous);
    });
  }

  private writeEntity(id: string, next: StoredEntity | undefined, known?: { entity?: StoredEntity }): void {
    const previous = known ? known.entity : this.stored(id);
    this.indexes.replace(previous, next);
    if (next) {
      const body = serializeOperation({ op: 'put', path: keyPath(next.key), data: next.data, excluded: next.excluded });
      this.statements.putEntity.run(toBytes(id), next.version, body);
    } else if (previous) {
      this.statements.deleteEntity.run(toBytes(id));
    }
  }

  /**
   * Keeps the composite indexes in step with index.yaml: an index declared since the last start is built from the
   * entities of its kind (the kind index lists them), one that is no longer declared is dropped.
   */
  private buildIndexes(log: (message: string) => void): void {
    const declared = this.indexes.allDeclared();
    const missing = declared.filter((index) => !this.indexNumbers.has(index.storageName));
    const declaredNames = new Set(declared.map((index) => index.storageName));
    const dropped = [...this.indexNumbers].filter(
      ([name]) => name.startsWith('composite ') && !declaredNames.has(name),
    );
    if (missing.length === 0 && dropped.length === 0) {
      return;
    }
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const index of missing) {
        this.registerIndex(index.storageName);
        let count = 0;
        for (const [, id] of this.indexes.kindIndex(index.definition.kind).tree.ascending('', '\u0100')) {
          const entity = this.stored(id);
          for (const entry of entity ? index.entriesOf(entity) : []) {
            index.tree.insert(entry, id);
          }
          count += 1;
        }
        if (count > 0) {
          log(`embedded store: built the index ${index.storageName} over ${count} ${index.definition.kind} entities`);
        }
      }
      for (const [name, ix] of dropped) {
        this.db.prepare('DELETE FROM entry WHERE ix = ?').run(ix);
        this.db.prepare('DELETE FROM index_name WHERE ix = ?').run(ix);
        this.indexNumbers.delete(name);
        log(`embedded store: dropped the index ${name}, which index.yaml no longer declares`);
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private registerIndex(name: string): number {
    const { lastInsertRowid } = this.statements.addIndexName.run(name);
    const ix = Number(lastInsertRowid);
    this.indexNumbers.set(name, ix);
    return ix;
  }

  private read(id: string): Entity | undefined {
    const entity = this.stored(id);
    return entity && publicEntity(entity);
  }

  private stored(id: string): StoredEntity | undefined {
    const row = this.guard(() => this.statements.entity.get(toBytes(id))) as
      { version: number; body: Uint8Array } | undefined;
    if (!row) {
      return undefined;
    }
    const operation = deserializeOperation(Buffer.from(row.body.buffer, row.body.byteOffset, row.body.byteLength));
    if (operation.op !== 'put') {
      throw damaged(this.path ?? ':memory:', new Error(`entity ${fromBytes(toBytes(id))} has no data`));
    }
    return storedEntity(
      { key: keyFromPath(operation.path), data: operation.data, excludeFromIndexes: [...operation.excluded] },
      Number(row.version),
    );
  }

  private versionOf(id: string): number {
    const row = this.guard(() => this.statements.version.get(toBytes(id))) as { version: number } | undefined;
    return row ? Number(row.version) : 0;
  }

  /** A read that finds the file damaged takes the whole store out of service, loudly, instead of answering wrong. */
  private guard<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw this.unavailable(error, 'cannot read');
    }
  }

  private unavailable(error: unknown, what: string): StoreUnavailableError {
    if (error instanceof StoreUnavailableError) {
      return error;
    }
    if (isDamage(error)) {
      this.failure ??= damaged(this.path ?? ':memory:', error);
      return this.failure;
    }
    return new StoreUnavailableError(`${what} ${this.path ?? 'the in-memory store'}: ${(error as Error).message}`);
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
    if (this.failure) {
      throw this.failure;
    }
  }
}

function mutationKey(mutation: Mutation): Key {
  return mutation.op === 'delete' ? mutation.key : mutation.entity.key;
}

/** An index entry whose entity is gone: SQLite kept both in one transaction, so only damage does this. */
function damagedIndex(): Error {
  return Object.assign(new Error('an index entry names an entity that is not stored'), { errcode: 11 });
}

/** What a commit is refused for (as opposed to the store failing): passed on as it is. */
function isRefusal(error: unknown): boolean {
  return error instanceof TransactionAbortedError || error instanceof EntityExistsError;
}
