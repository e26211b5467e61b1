import type { google } from '@google-cloud/datastore/build/src/protos.js';
import type { Entity, EntityData, Key, ScalarValue, Value } from '../store.types.js';

export type KeyProto = google.datastore.v1.IKey;
export type ValueProto = google.datastore.v1.IValue;
export type EntityProto = google.datastore.v1.IEntity;
export type PartitionId = google.datastore.v1.IPartitionId;

/** Decoded values carry the name of their oneof field, which the generated interface does not declare. */
type DecodedValue = ValueProto & Pick<google.datastore.v1.Value, 'valueType'>;

export function toKeyProto(key: Key, partitionId: PartitionId): KeyProto {
  const path: { kind: string; name: string }[] = [];
  for (let k: Key | undefined = key; k; k = k.parent) {
    path.unshift({ kind: k.kind, name: k.name });
  }
  return { partitionId, path };
}

export function fromKeyProto(proto: KeyProto): Key {
  let key: Key | undefined;
  for (const { kind, name, id } of proto.path ?? []) {
    if (!kind || !name) {
      throw new Error(`unsupported key element ${kind}:${String(id)}: picfeed keys have names only`);
    }
    key = key ? { kind, name, parent: key } : { kind, name };
  }
  if (!key) {
    throw new Error('empty key path');
  }
  return key;
}

/** Identifies a key within one partition, to match lookup results (which come back in any order) to the request. */
export function keyId(proto: KeyProto): string {
  return JSON.stringify((proto.path ?? []).map(({ kind, name }) => [kind, name]));
}

export function toEntityProto(entity: Entity, partitionId: PartitionId): EntityProto {
  const excluded = new Set(entity.excludeFromIndexes);
  const properties: Record<string, ValueProto> = {};
  for (const [name, value] of Object.entries(entity.data)) {
    properties[name] = toValueProto(value, excluded.has(name));
  }
  return { key: toKeyProto(entity.key, partitionId), properties };
}

/** Keys-only results have no properties, hence empty data. */
export function fromEntityProto(proto: EntityProto): Entity {
  const data: EntityData = {};
  const excluded: string[] = [];
  for (const [name, value] of Object.entries(proto.properties ?? {})) {
    data[name] = fromValueProto(value);
    if (isExcluded(value)) {
      excluded.push(name);
    }
  }
  const key = fromKeyProto(proto.key ?? {});
  // Handing the exclusions back lets a read-modify-write of a long list or text put it back unindexed.
  return excluded.length > 0 ? { key, data, excludeFromIndexes: excluded } : { key, data };
}

/** Datastore refuses excludeFromIndexes on a list value itself: each element carries it. */
export function toValueProto(value: Value, excludeFromIndexes = false): ValueProto {
  if (Array.isArray(value)) {
    return { arrayValue: { values: value.map((item) => toScalarProto(item, excludeFromIndexes)) } };
  }
  return toScalarProto(value, excludeFromIndexes);
}

function toScalarProto(value: ScalarValue, excludeFromIndexes: boolean): ValueProto {
  const proto = encodeScalar(value);
  return excludeFromIndexes ? { ...proto, excludeFromIndexes } : proto;
}

function encodeScalar(value: ScalarValue): ValueProto {
  if (value === null) {
    return { nullValue: 'NULL_VALUE' };
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    const seconds = Math.floor(ms / 1000);
    return { timestampValue: { seconds, nanos: (ms - seconds * 1000) * 1_000_000 } };
  }
  if (typeof value === 'string') {
    return { stringValue: value };
  }
  if (typeof value === 'number') {
    // Always a double: Datastore sorts every integer before every double and does not find 2 when asked for 2.0.
    return { doubleValue: value };
  }
  return { booleanValue: value };
}

function fromValueProto(proto: ValueProto): Value {
  return proto.arrayValue ? (proto.arrayValue.values ?? []).map(decodeScalar) : decodeScalar(proto);
}

function decodeScalar(proto: DecodedValue): ScalarValue {
  switch (proto.valueType) {
    case 'nullValue':
      return null;
    case 'booleanValue':
      return proto.booleanValue === true;
    case 'stringValue':
      return proto.stringValue ?? '';
    case 'doubleValue':
      return proto.doubleValue ?? 0;
    case 'integerValue':
      return Number(proto.integerValue);
    case 'timestampValue':
      return new Date(
        Number(proto.timestampValue?.seconds) * 1000 + Math.floor((proto.timestampValue?.nanos ?? 0) / 1e6),
      );
    default:
      throw new Error(`unsupported Datastore value type ${proto.valueType}`);
  }
}

function isExcluded(proto: ValueProto): boolean {
  const values = proto.arrayValue?.values;
  return values
    ? values.length > 0 && values.every((item) => item.excludeFromIndexes === true)
    : proto.excludeFromIndexes === true;
}
