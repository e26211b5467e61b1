import {
  close,
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  write,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { StoreUnavailableError } from '../store.errors.js';

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);
const closeAsync = promisify(close);

const HEADER_BYTES = 8;
const SNAPSHOT_RECORD_BYTES = 1 << 20;

/**
 * An append-only file of commits. A record is [body length][crc32 of length and body][body], the body a list
 * of [length][operation]; each commit is one record appended with one write(), so a crash leaves at most a
 * torn last record, which replay drops. fdatasync is shared: commits that arrive while one runs wait for the
 * next, together.
 */
export class WriteAheadLog {
  private readonly path: string;
  private readonly fsync: boolean;
  private fd: number;
  private size: number;
  /** Records appended while a rewrite runs, copied into the new file before it replaces the old one. */
  private tail?: Buffer[];
  private rewriting?: Promise<void>;
  private closing = false;
  private queuedSync?: Promise<void>;
  private lastSync: Promise<void> = Promise.resolve();

  private constructor(path: string, fd: number, size: number, fsync: boolean) {
    this.path = path;
    this.fd = fd;
    this.size = size;
    this.fsync = fsync;
  }

  /** Replays every intact record through `apply`, cuts a torn tail, and opens the file for appending. */
  static open(path: string, fsync: boolean, apply: (operations: Buffer[]) => void): WriteAheadLog {
    rmSync(temporaryPath(path), { force: true });
    const created = !existsSync(path);
    let size = 0;
    if (!created) {
      const bytes = readFileSync(path);
      size = replay(bytes, apply);
      if (size < bytes.length) {
        truncateSync(path, size);
      }
    }
    const fd = openSync(path, 'a');
    if (created && fsync) {
      syncDirectory(path);
    }
    return new WriteAheadLog(path, fd, size, fsync);
  }

  get bytes(): number {
    return this.size;
  }

  /** Appends one record in one write(); on failure the file is cut back so no torn record stays before later ones. */
  append(operations: readonly Buffer[]): void {
    const record = frame(operations);
    try {
      if (writeSync(this.fd, record) !== record.length) {
        throw new Error('short write');
      }
    } catch (error) {
      ftruncateSync(this.fd, this.size);
      throw new StoreUnavailableError(`cannot append to ${this.path}: ${(error as Error).message}`);
    }
    this.size += record.length;
    this.tail?.push(record);
  }

  /** Resolves once everything appended so far is on disk (at once without fsync). */
  flush(): Promise<void> {
    if (!this.fsync) {
      return Promise.resolve();
    }
    if (!this.queuedSync) {
      const round = this.lastSync.then(() => {
        this.queuedSync = undefined;
        return fdatasyncAsync(this.fd);
      });
      this.queuedSync = round.catch((error: unknown) => {
        throw new StoreUnavailableError(`cannot sync ${this.path}: ${(error as Error).message}`);
      });
      this.lastSync = round.catch(() => undefined);
    }
    return this.queuedSync;
  }

  /**
   * Compaction: writes `snapshot` (the live data as operations) to a temporary file while commits go on, adds
   * the records appended meanwhile, and renames it over the log.
   */
  rewrite(snapshot: Iterable<Buffer>): Promise<void> {
    this.rewriting ??= this.writeReplacement(snapshot).finally(() => {
      this.rewriting = undefined;
    });
    return this.rewriting;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.rewriting?.catch(() => undefined);
    try {
      await this.flush();
    } finally {
      await this.lastSync;
      closeSync(this.fd);
    }
  }

  private async writeReplacement(snapshot: Iterable<Buffer>): Promise<void> {
    const path = temporaryPath(this.path);
    const fd = openSync(path, 'w');
    this.tail = [];
    let size = 0;
    let tail: Buffer;
    try {
      for (const record of snapshotRecords(snapshot)) {
        if (this.closing) {
          throw new Error('the store is closing');
        }
        await writeAsync(fd, record);
        size += record.length;
      }
      if (this.fsync) {
        await fdatasyncAsync(fd);
      }
      // From here to the switch nothing awaits, so no commit can slip between the copied tail and the rename.
      tail = Buffer.concat(this.tail);
      writeSync(fd, tail);
      if (this.fsync) {
        fdatasyncSync(fd);
      }
      renameSync(path, this.path);
    } catch (error) {
      closeSync(fd);
      rmSync(path, { force: true });
      throw error;
    } finally {
      this.tail = undefined;
    }
    const previous = this.fd;
    this.fd = fd;
    this.size = size + tail.length;
    this.lastSync = this.lastSync.then(() => closeAsync(previous)).catch(() => undefined);
    if (this.fsync) {
      syncDirectory(this.path);
    }
  }
}

function replay(bytes: Buffer, apply: (operations: Buffer[]) => void): number {
  let offset = 0;
  while (offset + HEADER_BYTES <= bytes.length) {
    const end = offset + HEADER_BYTES + bytes.readUInt32BE(offset);
    if (end > bytes.length) {
      break;
    }
    const body = bytes.subarray(offset + HEADER_BYTES, end);
    if (bytes.readUInt32BE(offset + 4) !== crc32(body, crc32(bytes.subarray(offset, offset + 4)))) {
      break;
    }
    const operations = split(body);
    if (!operations) {
      break;
    }
    apply(operations);
    offset = end;
  }
  return offset;
}

function frame(operations: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.alloc(HEADER_BYTES)];
  for (const operation of operations) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(operation.length);
    parts.push(length, operation);
  }
  const record = Buffer.concat(parts);
  record.writeUInt32BE(record.length - HEADER_BYTES, 0);
  record.writeUInt32BE(crc32(record.subarray(HEADER_BYTES), crc32(record.subarray(0, 4))), 4);
  return record;
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

function* snapshotRecords(operations: Iterable<Buffer>): Generator<Buffer> {
  let batch: Buffer[] = [];
  let bytes = 0;
  for (const operation of operations) {
    batch.push(operation);
    bytes += operation.length;
    if (bytes >= SNAPSHOT_RECORD_BYTES) {
      yield frame(batch);
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) {
    yield frame(batch);
  }
}

function temporaryPath(path: string): string {
  return `${path}.tmp`;
}

function syncDirectory(path: string): void {
  const fd = openSync(dirname(path), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
