import { InvalidQueryError, StoreLimitError, formatKey } from './store.errors.js';
import { RESERVED_NAME } from '../common/key-name.js';
import { KEY_PROPERTY, MAX_QUERY_LIMIT, STORE_LIMITS } from './store.types.js';
import type { Entity, Key, Mutation, Query, Value } from './store.types.js';

/** Splits a list into pieces of at most `size` items: the one place lists meet the store's batch limits. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const pieces: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    pieces.push(items.slice(i, i + size));
  }
  return pieces;
}

export function validateKeys(keys: readonly Key[]): void {
  if (keys.length > STORE_LIMITS.keysPerLookup) {
    throw new StoreLimitError(`${keys.length} keys in one lookup (at most ${STORE_LIMITS.keysPerLookup})`);
  }
  keys.forEach(validateKey);
}

export function validateKey(key: Key): void {
  for (let k: Key | undefined = key; k; k = k.parent) {
    if (!k.kind || RESERVED_NAME.test(k.kind) || !k.name || RESERVED_NAME.test(k.name)) {
      throw new StoreLimitError(
        `invalid key ${formatKey(key)}: kinds and names must be non-empty and not __reserved__`,
      );
    }
    if (longerThan(k.kind, STORE_LIMITS.indexedStringBytes) || longerThan(k.name, STORE_LIMITS.indexedStringBytes)) {
      throw new StoreLimitError(
        `key ${formatKey(key).slice(0, 80)}… is longer than ${STORE_LIMITS.indexedStringBytes} bytes`,
      );
    }
  }
}

export function validateMutations(mutations: readonly Mutation[]): void {
  if (mutations.length > STORE_LIMITS.mutationsPerCommit) {
    throw new StoreLimitError(
      `${mutations.length} mutations in one commit (at most ${STORE_LIMITS.mutationsPerCommit})`,
    );
  }
  for (const mutation of mutations) {
    if (mutation.op === 'delete') {
      validateKey(mutation.key);
    } else {
      validateEntity(mutation.entity);
    }
  }
}

export function validateEntity(entity: Entity): void {
  validateKey(entity.key);
  const excluded = new Set(entity.excludeFromIndexes ?? []);
  let indexEntries = 0;
  for (const [property, value] of Object.entries(entity.data)) {
    if (RESERVED_NAME.test(property) || property === '') {
      throw new StoreLimitError(`invalid property name "${property}" on ${formatKey(entity.key)}`);
    }
    const values = Array.isArray(value) ? value : [value];
    const indexed = !excluded.has(property);
    for (const item of values) {
      if (Array.isArray(item)) {
        throw new StoreLimitError(`property ${property} of ${formatKey(entity.key)} nests a list in a list`);
      }
      if (indexed) {
        indexEntries += 1;
        const size = valueBytes(item);
        if (typeof item === 'string' && size > STORE_LIMITS.indexedStringBytes) {
          throw new StoreLimitError(
            `indexed property ${property} of ${formatKey(entity.key)} is ${size} bytes (at most ${STORE_LIMITS.indexedStringBytes}); exclude it from indexes`,
          );
        }
      }
    }
  }
  const bytes = entityBytes(entity);
  if (bytes > STORE_LIMITS.entityBytes) {
    throw new StoreLimitError(
      `entity ${formatKey(entity.key)} is ${bytes} bytes (at most ${STORE_LIMITS.entityBytes})`,
    );
  }
  if (indexEntries > STORE_LIMITS.indexEntriesPerEntity) {
    throw new StoreLimitError(
      `entity ${formatKey(entity.key)} has ${indexEntries} index entries (at most ${STORE_LIMITS.indexEntriesPerEntity})`,
    );
  }
}

/** The stored size of an entity, as Datastore counts it against the entity and request limits. */
export function entityBytes(entity: Entity): number {
  let bytes = keyBytes(entity.key);
  for (const [property, value] of Object.entries(entity.data)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      bytes += utf8Bytes(property) + valueBytes(item);
    }
  }
  return bytes;
}

/** Splits entities into commits within Datastore's limits: 500 mutations and 10 MiB per request. */
export function chunkForCommits(entities: readonly Entity[]): Entity[][] {
  const pieces: Entity[][] = [];
  let piece: Entity[] = [];
  let bytes = 0;
  for (const entity of entities) {
    const size = entityBytes(entity);
    if (
      piece.length === STORE_LIMITS.mutationsPerCommit ||
      (piece.length > 0 && bytes + size > STORE_LIMITS.requestBytes)
    ) {
      pieces.push(piece);
      piece = [];
      bytes = 0;
    }
    piece.push(entity);
    bytes += size;
  }
  if (piece.length > 0) {
    pieces.push(piece);
  }
  return pieces;
}

export function validateQuery(query: Query): void {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_QUERY_LIMIT) {
    throw new InvalidQueryError(`query limit must be an integer from 1 to ${MAX_QUERY_LIMIT}, got ${query.limit}`);
  }
  if (query.ancestor) {
    validateKey(query.ancestor);
  }
  const inequalities = new Set(
    (query.filters ?? []).filter((filter) => filter.op !== '=').map((filter) => filter.property),
  );
  if (inequalities.size > 1) {
    throw new InvalidQueryError(`inequality filters on more than one property: ${[...inequalities].join(', ')}`);
  }
  const [inequality] = inequalities;
  const firstOrder = query.orders?.[0];
  if (inequality && firstOrder && firstOrder.property !== inequality) {
    throw new InvalidQueryError(`the first order must be on the inequality property ${inequality}`);
  }
  for (const filter of query.filters ?? []) {
    const isKey = typeof filter.value === 'object' && filter.value !== null && !(filter.value instanceof Date);
    if ((filter.property === KEY_PROPERTY) !== isKey) {
      throw new InvalidQueryError(`filter on ${filter.property} needs ${isKey ? 'a plain value' : 'a Key'}`);
    }
    if (typeof filter.value === 'string' && utf8Bytes(filter.value) > STORE_LIMITS.indexedStringBytes) {
      throw new InvalidQueryError(
        `filter value for ${filter.property} is longer than ${STORE_LIMITS.indexedStringBytes} bytes: no indexed value can match`,
      );
    }
  }
}

/** Datastore's size rules, approximated the same way for both adapters: UTF-8 strings, 8-byte scalars. */
function valueBytes(value: Exclude<Value, unknown[]>): number {
  if (typeof value === 'string') {
    return utf8Bytes(value) + 1;
  }
  return 8;
}

function keyBytes(key: Key): number {
  let bytes = 16;
  for (let k: Key | undefined = key; k; k = k.parent) {
    bytes += utf8Bytes(k.kind) + utf8Bytes(k.name) + 2;
  }
  return bytes;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Whether the text's UTF-8 takes more than `bytes`: counted only when it could (3 bytes at most per UTF-16 unit). */
function longerThan(text: string, bytes: number): boolean {
  return text.length * 3 > bytes && utf8Bytes(text) > bytes;
}
