import type { DatabaseSync } from 'node:sqlite';
import type { CompositeIndex } from '../index-definitions.js';
import { EntityExistsError, StoreUnavailableError, TransactionAbortedError, formatKey } from '../store.errors.js';
import type { Key, Mutation } from '../store.types.js';
import { encodeKey } from './encoding.js';
import type { IndexSet } from './index-set.js';
import { SqliteRows } from './sqlite-rows.js';
import { toBytes } from './sqlite-entry-tree.js';
import {
  type LogOperation,
  type StoredEntity,
  keyFromPath,
  keyPath,
  serializeOperation,
  storedEntity,
} from './stored-entity.js';

/** One commit: its mutations, and the version of every key its transaction touched (none for a plain write). */
export interface CommitRequest {
  readonly mutations: readonly Mutation[];
  readonly touched: readonly (readonly [id: string, version: number, key: Key])[];
}

/** How one commit of a group ended, as plain data (it crosses to the reading thread). */
export type CommitOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly kind: 'aborted' | 'exists' | 'unavailable';
      readonly message: string;
      readonly key?: Key;
    };

export function outcomeOf(error: unknown): CommitOutcome {
  if (error instanceof EntityExistsError) {
    return { ok: false, kind: 'exists', message: error.message, key: error.key };
  }
  if (error instanceof TransactionAbortedError) {
    return { ok: false, kind: 'aborted', message: error.message };
  }
  return { ok: false, kind: 'unavailable', message: error instanceof Error ? error.message : String(error) };
}

export function errorOf(outcome: Exclude<CommitOutcome, { ok: true }>): Error {
  if (outcome.kind === 'exists' && outcome.key) {
    return new EntityExistsError(outcome.key);
  }
  return outcome.kind === 'aborted'
    ? new TransactionAbortedError(outcome.message)
    : new StoreUnavailableError(outcome.message);
}

/**
 * The writing side of the embedded store, on its own connection: applies a group of commits in one SQLite
 * transaction (one savepoint per commit, so one's failure spares the others), checking each transaction's
 * versions and inserts, and keeping every index entry in step with its entity.
 */
export class SqliteWriter {
  private readonly rows: SqliteRows;
  readonly indexes: IndexSet;
  private sequence: number;

  constructor(
    private readonly db: DatabaseSync,
    path: string,
    definitions: readonly CompositeIndex[],
  ) {
    this.rows = new SqliteRows(db, path);
    this.indexes = this.rows.indexSet(definitions);
    this.sequence = this.rows.sequence();
  }

  /** One outcome per commit; throws when the whole group could not be committed (nothing of it is stored). */
  commit(group: readonly CommitRequest[]): CommitOutcome[] {
    this.db.exec('BEGIN IMMEDIATE');
    const before = this.sequence;
    try {
      // Alone in its group a commit needs no savepoint: its failure rolls the transaction back.
      const outcomes =
        group.length === 1 ? [this.applyAlone(group[0])] : group.map((commit) => this.applyInSavepoint(commit));
      if (outcomes.some((outcome) => outcome.ok) && this.sequence !== before) {
        this.rows.statements.putMeta.run('sequence', this.sequence);
        this.db.exec('COMMIT');
      } else {
        // Nothing to store (refused, or transactions that only read): no sync.
        this.rollBack();
      }
      return outcomes;
    } catch (error) {
      this.rollBack();
      throw error;
    }
  }

  /** One commit of the earlier log format, replayed as it was made (inside the caller's transaction). */
  replay(operations: readonly LogOperation[]): void {
    const version = ++this.sequence;
    for (const operation of operations) {
      const key = keyFromPath(operation.path);
      const next =
        operation.op === 'put'
          ? storedEntity({ key, data: operation.data, excludeFromIndexes: [...operation.excluded] }, version)
          : undefined;
      this.write(encodeKey(key), next);
    }
    this.rows.statements.putMeta.run('sequence', this.sequence);
  }

  /**
   * Keeps the composite indexes in step with index.yaml: one declared since the last start is built from the
   * entities of its kind (the kind index lists them), one that is no longer declared is dropped.
   */
  buildIndexes(log: (message: string) => void): void {
    const declared = this.indexes.allDeclared();
    const missing = declared.filter((index) => this.rows.indexNumber(index.storageName) === undefined);
    const names = new Set(declared.map((index) => index.storageName));
    const dropped = this.rows.registeredIndexes().filter(([name]) => name.startsWith('composite ') && !names.has(name));
    if (missing.length === 0 && dropped.length === 0) {
      return;
    }
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const index of missing) {
        this.rows.registerIndex(index.storageName);
        let count = 0;
        for (const [, id] of this.indexes.kindIndex(index.definition.kind).tree.ascending('', '\u0100')) {
          const entity = this.rows.stored(id);
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
        this.rows.dropIndex(name, ix);
        log(`embedded store: dropped the index ${name}, which index.yaml no longer declares`);
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private rollBack(): void {
    if (this.db.isTransaction) {
      this.db.exec('ROLLBACK');
    }
    this.rows.reloadIndexNumbers();
  }

  private applyAlone(commit: CommitRequest): CommitOutcome {
    try {
      this.apply(commit);
      return { ok: true };
    } catch (error) {
      if (error instanceof EntityExistsError || error instanceof TransactionAbortedError) {
        return outcomeOf(error);
      }
      throw error;
    }
  }

  private applyInSavepoint(commit: CommitRequest): CommitOutcome {
    this.db.exec('SAVEPOINT one_commit');
    try {
      this.apply(commit);
      this.db.exec('RELEASE one_commit');
      return { ok: true };
    } catch (error) {
      // After a full disk or an I/O error SQLite may have rolled the whole transaction back already.
      if (!this.db.isTransaction) {
        throw error;
      }
      this.db.exec('ROLLBACK TO one_commit');
      this.db.exec('RELEASE one_commit');
      this.rows.reloadIndexNumbers();
      if (error instanceof EntityExistsError || error instanceof TransactionAbortedError) {
        return outcomeOf(error);
      }
      throw error;
    }
  }

  private apply({ mutations, touched }: CommitRequest): void {
    for (const [id, version, key] of touched) {
      if (this.rows.versionOf(id) !== version) {
        throw new TransactionAbortedError(`transaction aborted: ${formatKey(key)} changed concurrently`);
      }
    }
    const ids = mutations.map((mutation) => encodeKey(mutation.op === 'delete' ? mutation.key : mutation.entity.key));
    const exists = new Map<string, boolean>();
    mutations.forEach((mutation, i) => {
      if (mutation.op === 'insert' && (exists.get(ids[i]) ?? this.rows.versionOf(ids[i]) !== 0)) {
        throw new EntityExistsError(mutation.entity.key);
      }
      exists.set(ids[i], mutation.op !== 'delete');
    });
    if (mutations.length === 0) {
      return;
    }
    const version = ++this.sequence;
    mutations.forEach((mutation, i) =>
      this.write(ids[i], mutation.op === 'delete' ? undefined : storedEntity(mutation.entity, version)),
    );
  }

  private write(id: string, next: StoredEntity | undefined): void {
    const previous = this.rows.stored(id);
    this.indexes.replace(previous, next);
    if (next) {
      const body = serializeOperation({ op: 'put', path: keyPath(next.key), data: next.data, excluded: next.excluded });
      this.rows.statements.putEntity.run(toBytes(id), next.version, body);
    } else if (previous) {
      this.rows.statements.deleteEntity.run(toBytes(id));
    }
  }
}
