/** An index entry and the id (encoded key) of the entity it points to. */
export type IndexHit = readonly [entry: string, id: string];

const MAX_CHUNK = 256;

/**
 * Sorted set of index entries, each with the id of its entity. Entries live in sorted chunks of at most
 * MAX_CHUNK, so an insert or delete moves a few hundred references instead of the whole index.
 */
export class SortedIndex {
  private readonly entries: string[][] = [];
  private readonly ids: string[][] = [];
  /** The last entry of each chunk, for the binary search that picks a chunk. */
  private readonly lasts: string[] = [];

  insert(entry: string, id: string): void {
    if (this.entries.length === 0) {
      this.entries.push([entry]);
      this.ids.push([id]);
      this.lasts.push(entry);
      return;
    }
    const c = Math.min(this.chunkFor(entry), this.entries.length - 1);
    const entries = this.entries[c];
    const ids = this.ids[c];
    const i = lowerBound(entries, entry);
    if (entries[i] === entry) {
      ids[i] = id;
      return;
    }
    entries.splice(i, 0, entry);
    ids.splice(i, 0, id);
    this.lasts[c] = entries[entries.length - 1];
    if (entries.length > MAX_CHUNK) {
      const half = entries.length >> 1;
      this.entries.splice(c + 1, 0, entries.splice(half));
      this.ids.splice(c + 1, 0, ids.splice(half));
      this.lasts.splice(c, 1, entries[half - 1], this.lasts[c]);
    }
  }

  delete(entry: string): void {
    const c = this.chunkFor(entry);
    const entries = this.entries[c] as string[] | undefined;
    if (!entries) {
      return;
    }
    const i = lowerBound(entries, entry);
    if (entries[i] !== entry) {
      return;
    }
    entries.splice(i, 1);
    this.ids[c].splice(i, 1);
    if (entries.length === 0) {
      this.entries.splice(c, 1);
      this.ids.splice(c, 1);
      this.lasts.splice(c, 1);
    } else {
      this.lasts[c] = entries[entries.length - 1];
    }
  }

  /** The first entry at or after `from`. */
  ceiling(from: string): IndexHit | undefined {
    const c = this.chunkFor(from);
    if (c === this.entries.length) {
      return undefined;
    }
    const i = lowerBound(this.entries[c], from);
    return [this.entries[c][i], this.ids[c][i]];
  }

  /** The last entry before `below`. */
  lower(below: string): IndexHit | undefined {
    let c = this.chunkFor(below);
    let i = c === this.entries.length ? 0 : lowerBound(this.entries[c], below);
    if (i === 0) {
      if (c === 0) {
        return undefined;
      }
      c -= 1;
      i = this.entries[c].length;
    }
    return [this.entries[c][i - 1], this.ids[c][i - 1]];
  }

  /** Entries in [from, to), in order. The index must not change while the iteration runs. */
  *ascending(from: string, to: string): Generator<IndexHit, void, undefined> {
    let c = this.chunkFor(from);
    if (c === this.entries.length) {
      return;
    }
    let i = lowerBound(this.entries[c], from);
    for (; c < this.entries.length; c++, i = 0) {
      const entries = this.entries[c];
      for (; i < entries.length; i++) {
        if (entries[i] >= to) {
          return;
        }
        yield [entries[i], this.ids[c][i]];
      }
    }
  }

  /** The first chunk whose last entry is at or after `entry` (the chunk count when there is none). */
  private chunkFor(entry: string): number {
    return lowerBound(this.lasts, entry);
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}
