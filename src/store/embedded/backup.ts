import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { StoreUnavailableError } from '../store.errors.js';
import { DATABASE_FILE, DirectoryLock, checkIntegrity, damaged, syncDirectory } from './sqlite-database.js';

/**
 * An online backup of the embedded store into `file`: `VACUUM INTO` copies one consistent state from a single read
 * transaction, so the server goes on writing meanwhile and nothing restarts the copy. Never overwrites a file.
 */
export function backupStore(dataDir: string, file: string): void {
  const path = join(dataDir, DATABASE_FILE);
  if (!existsSync(path)) {
    throw new StoreUnavailableError(`there is no embedded store at ${path} to back up`);
  }
  if (existsSync(file)) {
    throw new StoreUnavailableError(`${file} exists already; a backup never overwrites a file`);
  }
  const source = new DatabaseSync(path, { readOnly: true });
  try {
    source.exec('PRAGMA busy_timeout = 5000');
    source.prepare('VACUUM INTO ?').run(file);
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  } finally {
    source.close();
  }
}

/**
 * Puts a backup in place of the store's database while no server holds the data directory; the database it replaces
 * (with its log files) is kept aside. Refuses a file that is not an intact database, checked whatever its size, and
 * changes nothing then. Returns the path kept aside.
 */
export function restoreStore(dataDir: string, file: string): string | undefined {
  if (existsSync(`${file}-wal`)) {
    throw new StoreUnavailableError(
      `${file} has a write-ahead log beside it (${file}-wal): it is a live database, not a backup; use npm run backup`,
    );
  }
  const lock = DirectoryLock.acquire(dataDir);
  try {
    const candidate = new DatabaseSync(file, { readOnly: true });
    try {
      checkIntegrity(candidate, file, true);
      candidate.prepare('SELECT count(*) FROM entity').get();
    } catch (error) {
      throw error instanceof StoreUnavailableError ? error : damaged(file, error);
    } finally {
      candidate.close();
    }
    const path = join(dataDir, DATABASE_FILE);
    const restoring = `${path}.restoring`;
    copyFileSync(file, restoring);
    syncFile(restoring);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const aside = existsSync(path) ? `${path}.before-restore-${stamp}` : undefined;
    // Whatever log files are there belong to the database they were written for, never to the restored one.
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(path + suffix)) {
        renameSync(path + suffix, `${aside ?? `${path}.before-restore-${stamp}`}${suffix}`);
      }
    }
    renameSync(restoring, path);
    syncDirectory(dirname(path));
    return aside;
  } finally {
    lock.release();
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
