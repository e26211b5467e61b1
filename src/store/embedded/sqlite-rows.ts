import type { DatabaseSync } from 'node:sqlite';
import type { CompositeIndex } from '../index-definitions.js';
import { IndexSet } from './index-set.js';
import { damaged, prepare, type Statements } from './sqlite-database.js';
import { SqliteEntryTree, toBytes } from './sqlite-entry-tree.js';
import { type StoredEntity, deserializeOperation, keyFromPath, storedEntity } from './stored-entity.js';

/**
 * One connection's view of the store's tables: entities by id, their versions, the numbers of the indexes. The
 * reading side and the writing side (another connection, in the writer thread) each have one.
 */
export class SqliteRows {
  readonly statements: Statements;
  private readonly numbers = new Map<string, number>();

  constructor(
    readonly db: DatabaseSync,
    /** The database file, for messages (`:memory:` in memory). */
    readonly path: string,
  ) {
    this.statements = prepare(db);
    for (const row of this.statements.indexNames.all() as { ix: number; name: string }[]) {
      this.numbers.set(row.name, row.ix);
    }
  }

  /** Every index by the name it is stored under, with composite ones built from `definitions`. */
  indexSet(definitions: readonly CompositeIndex[]): IndexSet {
    return new IndexSet(
      definitions,
      (name) =>
        new SqliteEntryTree(
          this.statements,
          () => this.indexNumber(name),
          () => this.registerIndex(name),
        ),
    );
  }

  /** The number of a named index, undefined while nothing was ever written to it (also by another connection). */
  indexNumber(name: string): number | undefined {
    let ix = this.numbers.get(name);
    if (ix === undefined) {
      ix = (this.statements.indexNumber.get(name) as { ix: number } | undefined)?.ix;
      if (ix !== undefined) {
        this.numbers.set(name, ix);
      }
    }
    return ix;
  }

  registerIndex(name: string): number {
    const ix = Number(this.statements.addIndexName.run(name).lastInsertRowid);
    this.numbers.set(name, ix);
    return ix;
  }

  /** After a rollback: index numbers registered in it are gone, so they are read again from the table. */
  reloadIndexNumbers(): void {
    this.numbers.clear();
    for (const row of this.statements.indexNames.all() as { ix: number; name: string }[]) {
      this.numbers.set(row.name, row.ix);
    }
  }

  registeredIndexes(): [string, number][] {
    return [...this.numbers];
  }

  dropIndex(name: string, ix: number): void {
    this.db.prepare('DELETE FROM entry WHERE ix = ?').run(ix);
    this.db.prepare('DELETE FROM index_name WHERE ix = ?').run(ix);
    this.numbers.delete(name);
  }

  stored(id: string): StoredEntity | undefined {
    const row = this.statements.entity.get(toBytes(id)) as { version: number; body: Uint8Array } | undefined;
    if (!row) {
      return undefined;
    }
    let operation: ReturnType<typeof deserializeOperation>;
    try {
      operation = deserializeOperation(Buffer.from(row.body.buffer, row.body.byteOffset, row.body.byteLength));
    } catch (error) {
      throw damaged(this.path, new Error(`an entity row cannot be read: ${(error as Error).message}`));
    }
    if (operation.op !== 'put') {
      throw damaged(this.path, new Error('an entity row holds no entity'));
    }
    return storedEntity(
      { key: keyFromPath(operation.path), data: operation.data, excludeFromIndexes: [...operation.excluded] },
      Number(row.version),
    );
  }

  versionOf(id: string): number {
    const row = this.statements.version.get(toBytes(id)) as { version: number } | undefined;
    return row ? Number(row.version) : 0;
  }

  sequence(): number {
    return Number((this.statements.getMeta.get('sequence') as { value?: number } | undefined)?.value ?? 0);
  }
}
