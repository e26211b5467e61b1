import { crc32 } from 'node:zlib';
import { InvalidCursorError } from '../store.errors.js';
import type { Query } from '../store.types.js';
import { HIGH, valueLength } from './encoding.js';
import type { IndexHit } from './index-set.js';
import type { DescendingPlan, MergePlan, Plan } from './query-planner.js';
import type { StoredEntity } from './stored-entity.js';

export interface Page {
  readonly ids: string[];
  readonly endCursor?: string;
  readonly moreResults: boolean;
  /** Index entries looked at, the one peeked past the limit included. */
  readonly examined: number;
}

type Lookup = (id: string) => StoredEntity;

/** Runs a plan from the cursor on: one result per entity, positions that a later page resumes strictly after. */
export function runPlan(plan: Plan, query: Query, lookup: Lookup): Page {
  const indexNames = plan.type === 'merge' ? plan.sources.map((source) => source.index.name) : [plan.index.name];
  const scope = [query.kind, plan.type, ...indexNames].join('\n');
  const after = query.startCursor === undefined ? undefined : decodeCursor(query.startCursor, scope);
  const counter = { examined: 0 };
  // The limit and the one peeked past it: what a page usually reads of its index.
  const expected = query.limit + 1;
  const scan = plan.type === 'merge' ? mergeJoin(plan, after, counter, expected) : descendingScan(plan, after, counter);
  const hits = firstPositions(plan, scan, lookup);
  const ids: string[] = [];
  let position: string | undefined;
  let next = hits.next();
  while (!next.done && ids.length < query.limit) {
    [position] = next.value;
    ids.push(next.value[1]);
    next = hits.next();
  }
  return {
    ids,
    endCursor: position === undefined ? undefined : encodeCursor(position, scope),
    moreResults: !next.done,
    examined: counter.examined,
  };
}

/** Leapfrogs the sources to the next suffix present in all of them; the suffix is the position. */
function* mergeJoin(plan: MergePlan, after: string | undefined, counter: { examined: number }, expected: number) {
  const { sources, high } = plan;
  let candidate = after === undefined ? plan.low : max(plan.low, after + '\x00');
  if (sources.length === 1) {
    // One index (most queries): a range read of its entries, fetched a page at a time, not one seek per entry.
    const [{ index, prefix }] = sources;
    for (const [entry, id] of index.tree.ascending(prefix + candidate, prefix + high, expected)) {
      counter.examined += 1;
      yield [entry.slice(prefix.length), id] as IndexHit;
    }
    return;
  }
  let agreeing = 0;
  for (let i = 0; ; i = (i + 1) % sources.length) {
    const { index, prefix } = sources[i];
    const hit = index.tree.ceiling(prefix + candidate);
    counter.examined += 1;
    if (!hit?.[0].startsWith(prefix)) {
      return;
    }
    const suffix = hit[0].slice(prefix.length);
    if (suffix >= high) {
      return;
    }
    agreeing = suffix === candidate ? agreeing + 1 : 1;
    candidate = suffix;
    if (agreeing === sources.length) {
      yield [suffix, hit[1]] as IndexHit;
      candidate = suffix + '\x00';
      agreeing = 0;
    }
  }
}

/** Top down one value at a time, each value's entries in key order, as Datastore's descending index has them. */
function* descendingScan(plan: DescendingPlan, after: string | undefined, counter: { examined: number }) {
  const { index, low, high } = plan;
  const visit = function* (from: string, to: string) {
    for (const hit of index.tree.ascending(from, to)) {
      counter.examined += 1;
      yield hit;
    }
  };
  let below = high;
  if (after !== undefined) {
    const value = after.slice(0, valueLength(after));
    yield* visit(max(low, after + '\x00'), min(high, value + HIGH));
    below = min(high, value);
  }
  for (let last = index.tree.lower(below); last && last[0] >= low; last = index.tree.lower(below)) {
    const value = last[0].slice(0, valueLength(last[0]));
    yield* visit(max(low, value), min(high, value + HIGH));
    below = value;
  }
}

function* firstPositions(plan: Plan, hits: Iterable<IndexHit>, lookup: Lookup) {
  for (const hit of hits) {
    if (isFirstPosition(plan, lookup(hit[1]), hit[0])) {
      yield hit;
    }
  }
}

/** A list among the sorted properties puts an entity at several positions: it is a result at the first only. */
function isFirstPosition(plan: Plan, entity: StoredEntity, position: string): boolean {
  const listed = plan.sorted.some((property) => {
    const value = entity.data[property];
    return Array.isArray(value) && value.length > 1;
  });
  if (!listed) {
    return true;
  }
  const positions =
    plan.type === 'merge'
      ? plan.sources[0].index
          .entriesOf(entity)
          .filter((entry) => entry.startsWith(plan.sources[0].prefix))
          .map((entry) => entry.slice(plan.sources[0].prefix.length))
      : plan.index.entriesOf(entity);
  const inRange = positions.filter((candidate) => candidate >= plan.low && candidate < plan.high);
  const first = inRange.reduce((best, candidate) =>
    (plan.type === 'merge' ? candidate < best : candidate > best) ? candidate : best,
  );
  return first === position;
}

function encodeCursor(position: string, scope: string): string {
  const bytes = Buffer.from(position, 'latin1');
  const check = Buffer.alloc(4);
  check.writeUInt32BE(crc32(bytes, crc32(scope)));
  return Buffer.concat([bytes, check]).toString('base64url');
}

function decodeCursor(cursor: string, scope: string): string {
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.length < 4 || bytes.toString('base64url') !== cursor) {
    throw new InvalidCursorError();
  }
  const position = bytes.subarray(0, -4);
  if (bytes.readUInt32BE(bytes.length - 4) !== crc32(position, crc32(scope))) {
    throw new InvalidCursorError();
  }
  return position.toString('latin1');
}

function max(a: string, b: string): string {
  return a > b ? a : b;
}

function min(a: string, b: string): string {
  return a < b ? a : b;
}
