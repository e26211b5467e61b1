import type { Statements } from './sqlite-database.js';
import type { EntryTree, IndexHit } from './index-set.js';

/** Rows a range scan fetches at a time: a page of a query reads one or two, however large the index. */
const RANGE_ROWS = 64;

interface EntryRow {
  readonly entry: Uint8Array;
  readonly id: Uint8Array;
}

/**
 * Index entries are strings of chars 0..255 (plus HIGH, 0x100, as a bound); as UTF-8 they sort bytewise in the
 * same order as the strings, so SQLite's BLOB comparison is the index order.
 */
export const toBytes = (text: string): Buffer => Buffer.from(text, 'utf8');
export const fromBytes = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

const hit = (row: EntryRow | undefined): IndexHit | undefined => row && [fromBytes(row.entry), fromBytes(row.id)];

/** One index's entries in the `entry` table, under the index's number (given the first time it is written). */
export class SqliteEntryTree implements EntryTree {
  constructor(
    private readonly statements: Statements,
    /** The index's number, undefined while it has never been written (then it has no entries). */
    private readonly number: () => number | undefined,
    private readonly create: () => number,
  ) {}

  insert(entry: string, id: string): void {
    this.statements.putEntry.run(this.number() ?? this.create(), toBytes(entry), toBytes(id));
  }

  delete(entry: string): void {
    const ix = this.number();
    if (ix !== undefined) {
      this.statements.deleteEntry.run(ix, toBytes(entry));
    }
  }

  ceiling(from: string): IndexHit | undefined {
    const ix = this.number();
    return ix === undefined ? undefined : hit(this.statements.ceiling.get(ix, toBytes(from)) as EntryRow | undefined);
  }

  lower(below: string): IndexHit | undefined {
    const ix = this.number();
    return ix === undefined ? undefined : hit(this.statements.lower.get(ix, toBytes(below)) as EntryRow | undefined);
  }

  *ascending(from: string, to: string, expected = RANGE_ROWS): Generator<IndexHit, void, undefined> {
    const ix = this.number();
    if (ix === undefined) {
      return;
    }
    const high = toBytes(to);
    let fetched = Math.max(1, Math.min(RANGE_ROWS, expected));
    let rows = this.statements.rangeFrom.all(ix, toBytes(from), high, fetched) as unknown as EntryRow[];
    while (rows.length > 0) {
      for (const row of rows) {
        yield [fromBytes(row.entry), fromBytes(row.id)];
      }
      if (rows.length < fetched) {
        return;
      }
      const last = rows[rows.length - 1].entry;
      fetched = RANGE_ROWS;
      rows = this.statements.rangeAfter.all(ix, last, high, fetched) as unknown as EntryRow[];
    }
  }
}
