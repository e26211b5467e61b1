/** A search's candidates: the term's most followed first by tier, the exact username's owner, and the counts. */
export interface Candidates {
  readonly hits: readonly { readonly id: string; readonly tier: number }[];
  /** Who had the username typed (a search checks it against their record: a rename since is no exact match). */
  readonly exactId: string | undefined;
  /** Filled in by the first search that reads them; absent until then. */
  counts?: ReadonlyMap<string, number>;
}

/** How long a term's candidates and their counts serve the searches of this instance. */
export const CANDIDATES_TTL_MS = 2_000;
/** Searches (term, username, size) kept at once: the oldest go first. */
export const TERMS_KEPT = 1_000;

/**
 * The part of a search that is the same for everyone, kept a moment per term: people type the same few letters
 * ("em", "emm", "emma") over and over, and each would otherwise re-run the term's query and read eight counter
 * shards per candidate. Only popularity comes from here (who is a candidate, in which order); what each person may
 * see (the records, so suspensions and renames; blocks; follows) is read for every search. Searches that miss at
 * once share one query.
 */
export class CandidateCache {
  private readonly entries = new Map<string, { at: number; value: Promise<Candidates> }>();

  constructor(
    private readonly ttlMs = CANDIDATES_TTL_MS,
    private readonly kept = TERMS_KEPT,
    private readonly now: () => number = Date.now,
  ) {}

  /** The search's candidates: kept ones while fresh, otherwise `load`'s (a failed load is not kept). */
  get(term: string, load: () => Promise<Omit<Candidates, 'counts'>>): Promise<Candidates> {
    const at = this.now();
    const entry = this.entries.get(term);
    if (entry && at - entry.at < this.ttlMs) {
      return entry.value;
    }
    this.entries.delete(term);
    const value = load().then((loaded): Candidates => ({ ...loaded }));
    this.entries.set(term, { at, value });
    value.catch(() => {
      if (this.entries.get(term)?.value === value) {
        this.entries.delete(term);
      }
    });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.kept) {
        break;
      }
      this.entries.delete(oldest);
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
