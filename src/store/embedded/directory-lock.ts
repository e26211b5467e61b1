import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreUnavailableError } from '../store.errors.js';

const LOCK_FILE = 'LOCK';

/** One process per data directory: a LOCK file holding the owner's PID, taken over once that process is dead. */
export class DirectoryLock {
  private readonly path: string;

  private constructor(path: string) {
    this.path = path;
  }

  static acquire(directory: string): DirectoryLock {
    const path = join(directory, LOCK_FILE);
    // Written aside and linked in, so a reader never sees a lock file without its PID.
    const draft = `${path}.${process.pid}`;
    writeFileSync(draft, `${process.pid}\n`);
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          linkSync(draft, path);
          return new DirectoryLock(path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
            throw error;
          }
        }
        const holder = readHolder(path);
        if (holder !== undefined && isAlive(holder)) {
          throw new StoreUnavailableError(`data directory ${directory} is in use by process ${holder}`);
        }
        rmSync(path, { force: true });
      }
      throw new StoreUnavailableError(`data directory ${directory}: cannot take its lock file ${path}`);
    } finally {
      rmSync(draft, { force: true });
    }
  }

  release(): void {
    if (readHolder(this.path) === process.pid) {
      rmSync(this.path, { force: true });
    }
  }
}

function readHolder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
