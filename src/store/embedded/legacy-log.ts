import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
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

/**
 * Reads the earlier format's log, record by record ([length][crc32][operations]), and hands each commit's
 * operations to `apply` in order, so memory stays bounded whatever the log's size. A record cut off at the end of
 * the file (a crash while appending) is where the log ends; a damaged record anywhere else stops the conversion
 * with the file and offset named, and nothing is changed.
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
      if (end > size) {
        break;
      }
      const body = Buffer.alloc(end - offset - HEADER_BYTES);
      readSync(fd, body, 0, body.length, offset + HEADER_BYTES);
      const operations = header.readUInt32BE(4) === crc32(body, crc32(header.subarray(0, 4))) ? split(body) : undefined;
      if (!operations) {
        throw new StoreUnavailableError(
          `the log ${path} is damaged at byte ${offset} of ${size}; nothing was converted or changed. Restore the ` +
            `data folder from a backup, or move ${LOG_FILE} aside to start with an empty store`,
        );
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
