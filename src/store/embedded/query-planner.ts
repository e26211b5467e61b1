import { type CompositeIndex, suggestIndex } from '../index-definitions.js';
import { MissingIndexError } from '../store.errors.js';
import { KEY_PROPERTY } from '../store.types.js';
import type { Filter, FilterOperator, Key, Order, Query, ScalarValue } from '../store.types.js';
import { HIGH, descending, encodeKey, encodePath, encodeValue } from './encoding.js';
import type { DeclaredIndex, IndexSet, ScannableIndex } from './index-set.js';

export interface Source {
  readonly index: ScannableIndex;
  /** The ancestor and equality values every entry of this source starts with. */
  readonly prefix: string;
}

/**
 * Sources whose entries continue with the same suffix (sort values, then key), intersected by leapfrogging:
 * Datastore's merge join. A single source is a plain range scan.
 */
export interface MergePlan {
  readonly type: 'merge';
  readonly sources: readonly Source[];
  /** Bounds on the suffix after each source's prefix. */
  readonly low: string;
  readonly high: string;
  /** The properties the suffix encodes: a list among them can put one entity at several positions. */
  readonly sorted: readonly string[];
}

/** A built-in property index read from its top: values descending, keys ascending within a value. */
export interface DescendingPlan {
  readonly type: 'descending';
  readonly index: ScannableIndex;
  readonly low: string;
  readonly high: string;
  readonly sorted: readonly string[];
}

export type Plan = MergePlan | DescendingPlan;

interface Range {
  low: string;
  high: string;
}

/**
 * Maps a query onto the indexes the Datastore emulator (--require_indexes) accepts: built-in indexes for key
 * order (merge-joining equality filters) and for range filters and an order on one property without an
 * ancestor; otherwise declared composite indexes, each the equality properties it covers followed by the sort
 * orders, merge-joined when one does not cover every equality; else MissingIndexError.
 */
export function planQuery(query: Query, indexes: IndexSet): Plan {
  const filters = query.filters ?? [];
  const equalities = filters.filter((filter) => filter.op === '=');
  const inequality = filters.find((filter) => filter.op !== '=')?.property;
  const orders = effectiveOrders(query.orders ?? [], new Set(equalities.map((filter) => filter.property)), inequality);
  if (orders.length === 0) {
    return keyOrderPlan(query, indexes);
  }
  const [order] = orders;
  const onlyRange = filters.every((filter) => filter.property === order.property && filter.op !== '=');
  if (orders.length === 1 && order.property !== KEY_PROPERTY && !query.ancestor && onlyRange) {
    const index = indexes.propertyIndex(query.kind, order.property);
    const range = bounds('', filters, false);
    const sorted = [order.property];
    return order.direction === 'asc'
      ? { type: 'merge', sources: [{ index, prefix: '' }], ...range, sorted }
      : { type: 'descending', index, ...range, sorted };
  }
  return compositePlan(query, indexes, equalities, orders);
}

/** Drops what every index implies: orders on equality-filtered properties and a trailing key ascending. */
function effectiveOrders(orders: readonly Order[], equal: ReadonlySet<string>, inequality?: string): Order[] {
  let effective = orders.filter((order) => order.property === inequality || !equal.has(order.property));
  if (inequality && effective.length === 0) {
    effective = [{ property: inequality, direction: 'asc' }];
  }
  while (effective.at(-1)?.property === KEY_PROPERTY && effective.at(-1)?.direction === 'asc') {
    effective = effective.slice(0, -1);
  }
  return effective;
}

function keyOrderPlan(query: Query, indexes: IndexSet): MergePlan {
  const filters = query.filters ?? [];
  const range = bounds(
    '',
    filters.filter((filter) => filter.property === KEY_PROPERTY),
    false,
  );
  if (query.ancestor) {
    const path = encodePath(query.ancestor);
    range.low = max(range.low, path);
    range.high = min(range.high, path + HIGH);
  }
  const equalities = filters.filter((filter) => filter.property !== KEY_PROPERTY);
  const sources =
    equalities.length > 0
      ? equalities.map((filter) => ({
          index: indexes.propertyIndex(query.kind, filter.property),
          prefix: encodeFilterValue(filter),
        }))
      : [{ index: indexes.kindIndex(query.kind), prefix: '' }];
  return { type: 'merge', sources, ...range, sorted: [] };
}

function compositePlan(query: Query, indexes: IndexSet, equalities: readonly Filter[], orders: Order[]): MergePlan {
  const ancestor = query.ancestor ? encodeKey(query.ancestor) : undefined;
  const usable = indexes
    .declaredIndexes(query.kind)
    .filter(({ definition }) => definition.ancestor === (ancestor !== undefined) && endsWith(definition, orders));
  const uncovered = new Set(equalities);
  const sources: Source[] = [];
  while (sources.length === 0 || uncovered.size > 0) {
    const best = usable
      .map((index) => ({ index, values: assign(index.definition, orders, equalities, uncovered) }))
      .filter((choice): choice is { index: DeclaredIndex; values: Filter[] } => choice.values !== undefined)
      .map((choice) => ({ ...choice, gain: choice.values.filter((filter) => uncovered.has(filter)).length }))
      .sort((a, b) => b.gain - a.gain)[0];
    if (!best || (best.gain === 0 && sources.length > 0)) {
      // Production Datastore's wording, so a developer can paste the index into index.yaml.
      throw new MissingIndexError(`no matching index found. recommended index is:\n${suggestIndex(query)}`);
    }
    const { properties } = best.index.definition;
    const components = best.values.map((filter, i) =>
      properties[i].direction === 'desc' ? descending(encodeFilterValue(filter)) : encodeFilterValue(filter),
    );
    sources.push({ index: best.index, prefix: (ancestor ?? '') + components.join('') });
    best.values.forEach((filter) => uncovered.delete(filter));
  }
  const [first] = orders;
  const ranged = (query.filters ?? []).filter((filter) => filter.op !== '=' && filter.property === first.property);
  const sorted = orders.map((order) => order.property).filter((property) => property !== KEY_PROPERTY);
  return { type: 'merge', sources, ...bounds('', ranged, first.direction === 'desc'), sorted };
}

function endsWith(definition: CompositeIndex, orders: readonly Order[]): boolean {
  const tail = definition.properties.slice(-orders.length);
  return (
    tail.length === orders.length &&
    orders.every((order, i) => tail[i].name === order.property && tail[i].direction === order.direction)
  );
}

/** An equality filter for each property before the sort orders, uncovered ones first; undefined if one has none. */
function assign(
  definition: CompositeIndex,
  orders: readonly Order[],
  equalities: readonly Filter[],
  uncovered: ReadonlySet<Filter>,
): Filter[] | undefined {
  const values: Filter[] = [];
  for (const { name } of definition.properties.slice(0, definition.properties.length - orders.length)) {
    const candidates = equalities.filter((filter) => filter.property === name && !values.includes(filter));
    const value = candidates.find((filter) => uncovered.has(filter)) ?? candidates[0];
    if (!value) {
      return undefined;
    }
    values.push(value);
  }
  return values;
}

/**
 * The range of entries `prefix + component + ...` whose component passes every filter. Like the emulator, a
 * range is a plain index range: it does not stop at the filter value's type.
 */
function bounds(prefix: string, filters: readonly Filter[], inverted: boolean): Range {
  const range = { low: prefix, high: prefix + HIGH };
  for (const filter of filters) {
    const encoded = inverted ? descending(encodeFilterValue(filter)) : encodeFilterValue(filter);
    const at = prefix + encoded;
    const op = inverted ? FLIPPED[filter.op] : filter.op;
    if (op === '=' || op === '>=') {
      range.low = max(range.low, at);
    }
    if (op === '>') {
      range.low = max(range.low, at + HIGH);
    }
    if (op === '=' || op === '<=') {
      range.high = min(range.high, at + HIGH);
    }
    if (op === '<') {
      range.high = min(range.high, at);
    }
  }
  return range;
}

const FLIPPED: Record<FilterOperator, FilterOperator> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function encodeFilterValue(filter: Filter): string {
  return filter.property === KEY_PROPERTY ? encodeKey(filter.value as Key) : encodeValue(filter.value as ScalarValue);
}

function max(a: string, b: string): string {
  return a > b ? a : b;
}

function min(a: string, b: string): string {
  return a < b ? a : b;
}
