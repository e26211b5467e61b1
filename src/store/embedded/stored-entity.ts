import { types } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import type { Entity, EntityData, Key, ScalarValue } from '../store.types.js';
import { encodeKey } from './encoding.js';

/** An entity as the store keeps it: private data nobody else holds a reference to. */
export interface StoredEntity {
  /** The encoded key: the entity's identity in the table and in every index. */
  readonly id: string;
  readonly key: Key;
  readonly data: EntityData;
  readonly excluded: readonly string[];
  /** Sequence number of the commit that wrote it; transactions compare it (an absent entity is version 0). */
  readonly version: number;
}

export type LogOperation =
  | {
      readonly op: 'put';
      readonly path: readonly string[];
      readonly data: EntityData;
      readonly excluded: readonly string[];
    }
  | { readonly op: 'delete'; readonly path: readonly string[] };

export function storedEntity(entity: Entity, version: number): StoredEntity {
  const key = copyKey(entity.key);
  return {
    id: encodeKey(key),
    key,
    data: copyData(entity.data),
    excluded: [...(entity.excludeFromIndexes ?? [])],
    version,
  };
}

/** A copy for a caller: mutating it cannot change the store (or the rows its read cache keeps). */
export function publicEntity(stored: StoredEntity, keysOnly = false): Entity {
  const key = copyKey(stored.key);
  if (keysOnly) {
    return { key, data: {} };
  }
  const data = copyData(stored.data);
  return stored.excluded.length > 0 ? { key, data, excludeFromIndexes: [...stored.excluded] } : { key, data };
}

export function copyKey(key: Key): Key {
  return key.parent
    ? { kind: key.kind, name: key.name, parent: copyKey(key.parent) }
    : { kind: key.kind, name: key.name };
}

/** Root-first [kind, name, kind, name, ...], the key as an entity row (and the earlier log) stores it. */
export function keyPath(key: Key): string[] {
  return [...(key.parent ? keyPath(key.parent) : []), key.kind, key.name];
}

export function keyFromPath(path: readonly string[]): Key {
  let key: Key | undefined;
  for (let i = 0; i < path.length; i += 2) {
    key = key ? { kind: path[i], name: path[i + 1], parent: key } : { kind: path[i], name: path[i + 1] };
  }
  if (!key) {
    throw new Error('an empty key path');
  }
  return key;
}

export function serializeOperation(operation: LogOperation): Buffer {
  return serialize(operation);
}

export function deserializeOperation(bytes: Buffer): LogOperation {
  return deserialize(bytes) as LogOperation;
}

function copyData(data: EntityData): EntityData {
  const copy: EntityData = {};
  for (const [name, value] of Object.entries(data)) {
    copy[name] = Array.isArray(value) ? value.map(copyScalar) : copyScalar(value);
  }
  return copy;
}

/** Dates are copied as this realm's Dates (what deserialize makes may come from another one, as in a test VM). */
function copyScalar(value: ScalarValue): ScalarValue {
  return types.isDate(value) ? new Date(value.getTime()) : value;
}
