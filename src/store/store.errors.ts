import type { Key } from './store.types.js';

export abstract class StoreError extends Error {
  override get name(): string {
    return this.constructor.name;
  }
}

/** A transaction lost to concurrent writers on every attempt the runner allowed. */
export class StoreContentionError extends StoreError {
  constructor(
    readonly attempts: number,
    readonly retryAfterSeconds = 1,
  ) {
    super(`transaction aborted by contention after ${attempts} attempt(s)`);
  }
}

/** The store did not answer in time or could not be reached. */
export class StoreUnavailableError extends StoreError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 2,
  ) {
    super(message);
  }
}

/** A write or query broke one of Datastore's limits (mutations per commit, entity size, indexed string size). */
export class StoreLimitError extends StoreError {}

/** An insert found its key already stored. */
export class EntityExistsError extends StoreError {
  constructor(readonly key: Key) {
    super(`entity already exists: ${formatKey(key)}`);
  }
}

/** The query needs a composite index that index.yaml does not declare. */
export class MissingIndexError extends StoreError {}

/** A query the store cannot answer as asked (bad limit, unsupported shape). */
export class InvalidQueryError extends StoreError {}

/** A cursor that this store did not produce for this query. */
export class InvalidCursorError extends StoreError {
  constructor() {
    super('invalid cursor');
  }
}

/** One attempt of a transaction was aborted by a concurrent writer; the runner retries it. */
export class TransactionAbortedError extends StoreError {}

export function formatKey(key: Key): string {
  const parts: string[] = [];
  for (let k: Key | undefined = key; k; k = k.parent) {
    parts.unshift(`${k.kind}:${k.name}`);
  }
  return parts.join('/');
}
