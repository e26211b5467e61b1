import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { crc32 } from 'node:zlib';
import type { EntityData } from '../../src/store/store.types.js';

/** One operation of the embedded store's earlier log format. */
export type LegacyOperation =
  { op: 'put'; path: string[]; data: EntityData; excluded?: string[] } | { op: 'delete'; path: string[] };

/** One commit as the earlier format framed it: [body length][crc32 of length and body][[length][v8 operation]...]. */
export function legacyRecord(operations: readonly LegacyOperation[]): Buffer {
  const parts = [Buffer.alloc(8)];
  for (const operation of operations) {
    const body = serialize(operation.op === 'put' ? { excluded: [], ...operation } : operation);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    parts.push(length, body);
  }
  const record = Buffer.concat(parts);
  record.writeUInt32BE(record.length - 8, 0);
  record.writeUInt32BE(crc32(record.subarray(8), crc32(record.subarray(0, 4))), 4);
  return record;
}

/** Writes a data folder as the earlier embedded store left it: `store.wal` (and its PID lock file). */
export function writeLegacyFolder(dataDir: string, commits: readonly (readonly LegacyOperation[])[]): string {
  const log = join(dataDir, 'store.wal');
  for (const commit of commits) {
    appendFileSync(log, legacyRecord(commit));
  }
  appendFileSync(join(dataDir, 'LOCK'), `${process.pid}\n`);
  return log;
}
