/**
 * The Datastore model as picfeed uses it: named keys with optional ancestors, entities of plain values,
 * bounded queries answered from indexes, and optimistic transactions. Both adapters implement exactly this.
 */

/** A key is a path of (kind, name) pairs, root first; picfeed names every entity, it never uses numeric ids. */
export interface Key {
  readonly kind: string;
  readonly name: string;
  readonly parent?: Key;
}

export type ScalarValue = string | number | boolean | null | Date;
export type Value = ScalarValue | ScalarValue[];
export type EntityData = Record<string, Value>;

export interface Entity<T extends EntityData = EntityData> {
  readonly key: Key;
  readonly data: T;
  /** Properties kept out of every index (long lists, text): they cannot be filtered or ordered on. */
  readonly excludeFromIndexes?: readonly string[];
}

/** `__key__` filters and orders on the key itself, as in Datastore. */
export const KEY_PROPERTY = '__key__';

export type FilterOperator = '=' | '<' | '<=' | '>' | '>=';

export interface Filter {
  readonly property: string;
  readonly op: FilterOperator;
  /** A Key when the property is `__key__`. */
  readonly value: ScalarValue | Key;
}

export interface Order {
  readonly property: string;
  readonly direction: 'asc' | 'desc';
}

export interface Query {
  readonly kind: string;
  /** Only entities under this key (the key itself included when it is of `kind`). */
  readonly ancestor?: Key;
  readonly filters?: readonly Filter[];
  readonly orders?: readonly Order[];
  /** Every query is bounded: 1..MAX_QUERY_LIMIT. */
  readonly limit: number;
  /** An `endCursor` from an earlier run of the same query: the next result starts right after it. */
  readonly startCursor?: string;
  readonly keysOnly?: boolean;
}

export interface QueryResult<T extends EntityData = EntityData> {
  /** Empty data objects when the query was keys-only. */
  readonly entities: Entity<T>[];
  /** Resumes right after the last entity returned; absent when nothing was returned. */
  readonly endCursor?: string;
  /** False only when the store knows no further result exists. */
  readonly moreResults: boolean;
}

export const MAX_QUERY_LIMIT = 1000;

/** Datastore's own limits, enforced the same way by both adapters. */
export const STORE_LIMITS = {
  mutationsPerCommit: 500,
  entityBytes: 1_048_572,
  indexedStringBytes: 1_500,
  keysPerLookup: 1_000,
  indexEntriesPerEntity: 20_000,
  /**
   * Bytes of entities per commit. Datastore takes 10 MiB, but the emulator's gRPC server refuses messages over
   * 4 MiB ("Call cancelled"); 3.5 MiB holds on both at the cost of a few more parallel commits.
   */
  requestBytes: 3.5 * 1024 * 1024,
} as const;

export interface TransactionOptions {
  /** How many times the whole transaction function may run (first try included). */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** Reads and buffered writes of one transaction; the writes commit together or not at all. */
export interface Transaction {
  /** Entities in the order of `keys`, undefined where absent. */
  get<T extends EntityData = EntityData>(keys: readonly Key[]): Promise<(Entity<T> | undefined)[]>;
  upsert(entities: readonly Entity[]): void;
  /** Commit fails with EntityExistsError if any of these keys exists by then. */
  insert(entities: readonly Entity[]): void;
  delete(keys: readonly Key[]): void;
}

/** One write of a commit. */
export type Mutation =
  { readonly op: 'upsert' | 'insert'; readonly entity: Entity } | { readonly op: 'delete'; readonly key: Key };
