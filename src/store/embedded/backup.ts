import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, backup } from 'node:sqlite';
import { StoreUnavailableError } from '../store.errors.js';
import { DATABASE_FILE, DirectoryLock, checkIntegrity, damaged } from './sqlite-database.js';

/**
 * An online backup of the embedded store into `file`, page by page with SQLite's backup API: the server may keep
 * running and writing meanwhile; the copy is one consistent state. Returns the pages copied.
 */
export async function backupStore(dataDir: string, file: string): Promise<number> {
  const path = join(dataDir, DATABASE_FILE);
  if (!existsSync(path)) {
    throw new StoreUnavailableError(`there is no embedded store at ${path} to back up`);
  }
  if (existsSync(file)) {
    throw new StoreUnavailableError(`${file} exists already; a backup never overwrites a file`);
  }
  const source = new DatabaseSync(path, { readOnly: true });
  try {
    return await backup(source, file);
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  } finally {
    source.close();
  }
}

/**
 * Puts a backup in place of the store's database while no server holds the data directory; the database it
 * replaces is kept aside. Refuses a file that is not an intact database, changing nothing. Returns the path kept aside.
 */
export function restoreStore(dataDir: string, file: string): string | undefined {
  const lock = DirectoryLock.acquire(dataDir);
  try {
    const candidate = new DatabaseSync(file, { readOnly: true });
    try {
      checkIntegrity(candidate, file);
      candidate.prepare('SELECT count(*) FROM entity').get();
    } catch (error) {
      throw error instanceof StoreUnavailableError ? error : damaged(file, error);
    } finally {
      candidate.close();
    }
    const path = join(dataDir, DATABASE_FILE);
    const restoring = `${path}.restoring`;
    copyFileSync(file, restoring);
    const aside = existsSync(path)
      ? `${path}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
      : undefined;
    if (aside) {
      renameSync(path, aside);
    }
    // The replaced database's log belongs to it alone.
    for (const name of [`${path}-wal`, `${path}-shm`]) {
      if (aside && existsSync(name)) {
        renameSync(name, aside + name.slice(path.length));
      }
    }
    renameSync(restoring, path);
    return aside;
  } finally {
    lock.release();
  }
}
