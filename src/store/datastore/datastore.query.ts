import type { google } from '@google-cloud/datastore/build/src/protos.js';
import { InvalidCursorError } from '../store.errors.js';
import { KEY_PROPERTY } from '../store.types.js';
import type { FilterOperator, Key, Query, ScalarValue } from '../store.types.js';
import { toKeyProto, toValueProto, type PartitionId } from './datastore.codec.js';

type QueryProto = google.datastore.v1.IQuery;
type FilterProto = google.datastore.v1.IFilter;
type OperatorProto = NonNullable<google.datastore.v1.IPropertyFilter['op']>;

const OPERATORS: Record<FilterOperator, OperatorProto> = {
  '=': 'EQUAL',
  '<': 'LESS_THAN',
  '<=': 'LESS_THAN_OR_EQUAL',
  '>': 'GREATER_THAN',
  '>=': 'GREATER_THAN_OR_EQUAL',
};

const CURSOR = /^[A-Za-z0-9_-]+$/;

/** The query without its limit and start, which the caller sets per batch. */
export function toQueryProto(query: Query, partitionId: PartitionId): QueryProto {
  const filters = (query.filters ?? []).map(({ property, op, value }) =>
    propertyFilter(
      property,
      OPERATORS[op],
      property === KEY_PROPERTY
        ? { keyValue: toKeyProto(value as Key, partitionId) }
        : toValueProto(value as ScalarValue),
    ),
  );
  if (query.ancestor) {
    filters.unshift(
      propertyFilter(KEY_PROPERTY, 'HAS_ANCESTOR', { keyValue: toKeyProto(query.ancestor, partitionId) }),
    );
  }
  return {
    kind: [{ name: query.kind }],
    filter: filters.length > 1 ? { compositeFilter: { op: 'AND', filters } } : filters[0],
    order: (query.orders ?? []).map(({ property, direction }) => ({
      property: { name: property },
      direction: direction === 'asc' ? 'ASCENDING' : 'DESCENDING',
    })),
    projection: query.keysOnly ? [{ property: { name: KEY_PROPERTY } }] : [],
  };
}

function propertyFilter(
  name: string,
  op: OperatorProto | 'HAS_ANCESTOR',
  value: google.datastore.v1.IValue,
): FilterProto {
  return { propertyFilter: { property: { name }, op, value } };
}

/** Cursors travel as URL-safe base64 of Datastore's cursor bytes. */
export function encodeCursor(cursor: Uint8Array | string): string {
  return Buffer.from(cursor).toString('base64url');
}

export function decodeCursor(cursor: string): Buffer {
  if (!CURSOR.test(cursor)) {
    throw new InvalidCursorError();
  }
  return Buffer.from(cursor, 'base64url');
}
