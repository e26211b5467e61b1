import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { StoreUnavailableError } from '../store.errors.js';
import { type LogOperation, deserializeOperation } from './stored-entity.js';

/** The files of the store's earlier format: an append-only log of commits and a PID lock. */
const LOG_FILE = 'store.wal';
const OLD_LOCK_FILE = 'LOCK';
const HEADER_BYTES = 8;

export function hasLegacyLog(dataDir: string): boolean {
  return existsSync(join(dataDir, LOG_FILE));
}

/** Refuses to convert while a process of the earlier version still holds the folder by its PID lock. */
export function assertLegacyLockFree(dataDir: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, OLD_LOCK_FILE), 'utf8').trim());
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) {
    return;
  }
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
      return;
    }
  }
  throw new StoreUnavailableError(
    `data directory ${dataDir} is in use by process ${pid} (an earlier version of the store); stop it before ` +
      'this version converts the folder',
  );
}

/**
 * Reads the earlier format's log, record by record ([length][crc32][operations]), and hands each commit's
 * operations to `apply` in order, so memory stays bounded whatever the log's size. A bad record with no intact record
 * after it is a commit a crash cut off (never acknowledged): the log ends there. A bad record with an intact one
 * after it is damage: the conversion stops with the file and offset named, and nothing is changed.
 */
export function readLegacyLog(
  dataDir: string,
  apply: (operations: LogOperation[]) => void,
): { records: number; torn: number } {
  const path = join(dataDir, LOG_FILE);
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    let offset = 0;
    let records = 0;
    const header = Buffer.alloc(HEADER_BYTES);
    while (offset + HEADER_BYTES <= size) {
      readSync(fd, header, 0, HEADER_BYTES, offset);
      const end = offset + HEADER_BYTES + header.readUInt32BE(0);
      const body = end > size ? undefined : Buffer.alloc(end - offset - HEADER_BYTES);
      if (body) {
        readSync(fd, body, 0, body.length, offset + HEADER_BYTES);
      }
      const operations =
        body && header.readUInt32BE(4) === crc32(body, crc32(header.subarray(0, 4))) ? split(body) : undefined;
      if (!operations) {
        if (intactRecordAfter(fd, offset + 1, size)) {
          throw new StoreUnavailableError(
            `the log ${path} is damaged at byte ${offset} of ${size}; nothing was converted or changed. Restore the ` +
              `data folder from a backup, or move ${LOG_FILE} aside to start with an empty store`,
          );
        }
        break;
      }
      apply(operations.map(deserializeOperation));
      records += 1;
      offset = end;
    }
    return { records, torn: size - offset };
  } finally {
    closeSync(fd);
  }
}

/** Keeps the converted log aside (never deleted by the store) and removes the earlier format's lock file. */
export function setLegacyLogAside(dataDir: string): string {
  const aside = join(dataDir, `${LOG_FILE}.converted-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  renameSync(join(dataDir, LOG_FILE), aside);
  rmSync(join(dataDir, OLD_LOCK_FILE), { force: true });
  rmSync(join(dataDir, `${LOG_FILE}.tmp`), { force: true });
  return aside;
}

/** Whether an intact record starts anywhere at or after `from`: what tells damage from a torn last commit. */
function intactRecordAfter(fd: number, from: number, size: number): boolean {
  const rest = Buffer.alloc(Math.max(0, size - from));
  readSync(fd, rest, 0, rest.length, from);
  for (let at = 0; at + HEADER_BYTES <= rest.length; at++) {
    const end = at + HEADER_BYTES + rest.readUInt32BE(at);
    if (end <= rest.length && end > at + HEADER_BYTES) {
      const body = rest.subarray(at + HEADER_BYTES, end);
      if (rest.readUInt32BE(at + 4) === crc32(body, crc32(rest.subarray(at, at + 4))) && split(body)) {
        return true;
      }
    }
  }
  return false;
}

function split(body: Buffer): Buffer[] | undefined {
  const operations: Buffer[] = [];
  let offset = 0;
  while (offset + 4 <= body.length) {
    const end = offset + 4 + body.readUInt32BE(offset);
    if (end > body.length) {
      return undefined;
    }
    operations.push(body.subarray(offset + 4, end));
    offset = end;
  }
  return offset === body.length ? operations : undefined;
}
