import type { StoredEntity } from './stored-entity.js';

/**
 * The rows read lately, decoded (or known absent), for reads outside transactions: a hot user, a popular term or
 * a count shard is decoded once, not at every request. This process is the database's only writer (the directory
 * lock), so it knows every change: the ids a commit writes are forgotten, and neither served nor kept, from before
 * the commit can reach the database until it is settled. What the cache holds is then what the database holds, and
 * a read mixing cached and read rows sees one state, as a read of the database alone would.
 */
export class ReadCache {
  /**
   * Two generations instead of an exact recency order (cheaper per hit): rows read since the last turn, and the
   * ones before; a row of the old generation read again moves to the new. At a turn the old one is dropped.
   */
  private young = new Map<string, StoredEntity | null>();
  private old = new Map<string, StoredEntity | null>();
  /** Commits in flight per id. */
  private readonly writing = new Map<string, number>();

  /** At most `capacity` rows in all. */
  constructor(private readonly capacity: number) {}

  /** The row as cached: undefined when not known (read the database), null when known absent. */
  get(id: string): StoredEntity | null | undefined {
    const young = this.young.get(id);
    if (young !== undefined) {
      return young;
    }
    const old = this.old.get(id);
    if (old !== undefined) {
      this.old.delete(id);
      this.add(id, old);
    }
    return old;
  }

  /** Keeps a row just read from the database, unless a commit writing it is in flight. */
  keep(id: string, entity: StoredEntity | undefined): void {
    if (this.capacity > 0 && !this.writing.has(id)) {
      this.add(id, entity ?? null);
    }
  }

  private add(id: string, entry: StoredEntity | null): void {
    if (this.young.size >= this.capacity / 2) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(id, entry);
  }

  /** A commit writing `ids` goes to the database: they are read from it until the commit is settled. */
  writeStarts(ids: readonly string[]): void {
    for (const id of ids) {
      this.writing.set(id, (this.writing.get(id) ?? 0) + 1);
      this.forget(id);
    }
  }

  /** The commit that wrote `ids` is settled (applied or refused): they may be kept again. */
  writeEnds(ids: readonly string[]): void {
    for (const id of ids) {
      const left = (this.writing.get(id) ?? 1) - 1;
      if (left > 0) {
        this.writing.set(id, left);
      } else {
        this.writing.delete(id);
      }
      this.forget(id);
    }
  }

  private forget(id: string): void {
    this.young.delete(id);
    this.old.delete(id);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}
