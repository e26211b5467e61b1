import { closeSync, existsSync, fsyncSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { StoreUnavailableError } from '../store.errors.js';

export const DATABASE_FILE = 'store.db';
const LOCK_FILE = 'store.lock';
const HOLDER_FILE = 'store.lock.pid';
/** Up to this size the whole file is checked before the store opens; a larger one as its pages are read. */
export const CHECK_AT_OPEN_MAX_BYTES = 64 << 20;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value ANY) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS index_name (ix INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  CREATE TABLE IF NOT EXISTS entity (id BLOB PRIMARY KEY, version INTEGER NOT NULL, body BLOB NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS entry (
    ix INTEGER NOT NULL, entry BLOB NOT NULL, id BLOB NOT NULL, PRIMARY KEY (ix, entry)
  ) WITHOUT ROWID;
`;

/** The prepared statements every store operation runs. */
export interface Statements {
  readonly entity: StatementSync;
  readonly version: StatementSync;
  readonly putEntity: StatementSync;
  readonly deleteEntity: StatementSync;
  readonly putEntry: StatementSync;
  readonly deleteEntry: StatementSync;
  readonly ceiling: StatementSync;
  readonly lower: StatementSync;
  readonly rangeFrom: StatementSync;
  readonly rangeAfter: StatementSync;
  readonly indexNames: StatementSync;
  readonly indexNumber: StatementSync;
  readonly addIndexName: StatementSync;
  readonly getMeta: StatementSync;
  readonly putMeta: StatementSync;
}

export function prepare(db: DatabaseSync): Statements {
  return {
    entity: db.prepare('SELECT version, body FROM entity WHERE id = ?'),
    version: db.prepare('SELECT version FROM entity WHERE id = ?'),
    putEntity: db.prepare('INSERT OR REPLACE INTO entity (id, version, body) VALUES (?, ?, ?)'),
    deleteEntity: db.prepare('DELETE FROM entity WHERE id = ?'),
    putEntry: db.prepare('INSERT OR REPLACE INTO entry (ix, entry, id) VALUES (?, ?, ?)'),
    deleteEntry: db.prepare('DELETE FROM entry WHERE ix = ? AND entry = ?'),
    ceiling: db.prepare('SELECT entry, id FROM entry WHERE ix = ? AND entry >= ? ORDER BY entry LIMIT 1'),
    lower: db.prepare('SELECT entry, id FROM entry WHERE ix = ? AND entry < ? ORDER BY entry DESC LIMIT 1'),
    rangeFrom: db.prepare(
      'SELECT entry, id FROM entry WHERE ix = ? AND entry >= ? AND entry < ? ORDER BY entry LIMIT ?',
    ),
    rangeAfter: db.prepare(
      'SELECT entry, id FROM entry WHERE ix = ? AND entry > ? AND entry < ? ORDER BY entry LIMIT ?',
    ),
    indexNames: db.prepare('SELECT ix, name FROM index_name'),
    indexNumber: db.prepare('SELECT ix FROM index_name WHERE name = ?'),
    addIndexName: db.prepare('INSERT INTO index_name (name) VALUES (?)'),
    getMeta: db.prepare('SELECT value FROM meta WHERE name = ?'),
    putMeta: db.prepare('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)'),
  };
}

/**
 * The data directory's lock: a small SQLite database held in exclusive locking mode. The operating system drops
 * the lock with the process, however it ends, so a restart after kill -9 (even with the same PID, as in a container)
 * never finds a stale lock; a second opener, in this process or another, is refused.
 */
export class DirectoryLock {
  private constructor(private readonly db: DatabaseSync) {}

  static acquire(dataDir: string): DirectoryLock {
    const db = new DatabaseSync(join(dataDir, LOCK_FILE));
    try {
      db.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = DELETE');
      db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER); COMMIT');
    } catch (error) {
      db.close();
      if (isBusy(error)) {
        const holder = readHolder(dataDir);
        throw new StoreUnavailableError(
          `data directory ${dataDir} is in use by ${holder ? `process ${holder}` : 'another process'}`,
        );
      }
      throw error;
    }
    try {
      writeFileSync(join(dataDir, HOLDER_FILE), `${process.pid}\n`);
    } catch (error) {
      db.close();
      throw error;
    }
    return new DirectoryLock(db);
  }

  release(): void {
    this.db.close();
  }
}

/** Opens (creating when new) the store's database with the durability the configuration asks for. */
export function openDatabase(path: string | undefined, fsync: boolean): DatabaseSync {
  const db = new DatabaseSync(path ?? ':memory:');
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    db.exec(`PRAGMA journal_mode = ${path ? 'WAL' : 'MEMORY'}`);
    // FULL syncs the log at every commit: an acknowledged commit survives power loss. NORMAL survives kill -9.
    db.exec(`PRAGMA synchronous = ${fsync ? 'FULL' : 'NORMAL'}`);
    db.exec(SCHEMA);
  } catch (error) {
    db.close();
    // Only SQLite's own verdict is called damage: a permission or a full disk is said as it is.
    throw path && isDamage(error) ? damaged(path, error) : error;
  }
  return db;
}

/** Checks every page of a database small enough to check at once (any size when `whatever`); throws when damaged. */
export function checkIntegrity(db: DatabaseSync, path: string, whatever = false): void {
  if (!whatever && (!existsSync(path) || statSync(path).size > CHECK_AT_OPEN_MAX_BYTES)) {
    return;
  }
  let problems: string[];
  try {
    problems = (db.prepare('PRAGMA quick_check').all() as { quick_check: string }[]).map((row) => row.quick_check);
  } catch (error) {
    throw damaged(path, error);
  }
  if (problems.join() !== 'ok') {
    throw damaged(path, new Error(problems.slice(0, 3).join('; ')));
  }
}

/** The one message for a database that cannot be read: which file, what is wrong, what to do. Nothing was changed. */
export function damaged(path: string, error: unknown): StoreUnavailableError {
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(
    `the embedded store ${path} is damaged (${reason}); nothing was changed. Restore a backup ` +
      `(npm run restore -- FILE) or move the file aside to start with an empty store`,
  );
}

/** SQLite's answer for data it cannot read: the file is damaged or is not a database. */
export function isDamage(error: unknown): boolean {
  const code = (error as { errcode?: number }).errcode;
  // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26), with their extended codes.
  return code !== undefined && [11, 26].includes(code & 0xff);
}

function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: number }).errcode;
  return code !== undefined && [5, 6].includes(code & 0xff);
}

function readHolder(dataDir: string): string | undefined {
  try {
    return /^\d+$/.exec(readFileSync(join(dataDir, HOLDER_FILE), 'utf8').trim())?.[0];
  } catch {
    return undefined;
  }
}

/** Makes a rename in `dir` durable (the directory entry itself is synced). */
export function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
