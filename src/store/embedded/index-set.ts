import type { CompositeIndex } from '../index-definitions.js';
import { KEY_PROPERTY } from '../store.types.js';
import type { Key } from '../store.types.js';
import { descending, encodeKey, encodeValue } from './encoding.js';
import type { StoredEntity } from './stored-entity.js';

/** An index entry and the id (encoded key) of the entity it points to. */
export type IndexHit = readonly [entry: string, id: string];

/** The ordered entries of one index, wherever they are kept. */
export interface EntryTree {
  insert(entry: string, id: string): void;
  delete(entry: string): void;
  /** The first entry at or after `from`. */
  ceiling(from: string): IndexHit | undefined;
  /** The last entry before `below`. */
  lower(below: string): IndexHit | undefined;
  /** Entries in [from, to), in order; `expected` (how many the caller likely reads) sizes the first fetch. */
  ascending(from: string, to: string, expected?: number): Iterable<IndexHit>;
}

/** One index the planner can scan, and how to compute an entity's entries in it. */
export interface ScannableIndex {
  /** Names the index in cursors, so a cursor of another index is refused. */
  readonly name: string;
  /** Names it where its entries are kept: unique across kinds, and a composite one by its whole definition. */
  readonly storageName: string;
  readonly tree: EntryTree;
  entriesOf(entity: StoredEntity): string[];
}

export interface DeclaredIndex extends ScannableIndex {
  readonly definition: CompositeIndex;
}

/**
 * Every index of the store, kept in step with the entity table: per kind by key, per kind and property by
 * (value, key), and the composite indexes of index.yaml.
 */
export class IndexSet {
  private readonly byKind = new Map<string, ScannableIndex>();
  private readonly byProperty = new Map<string, Map<string, ScannableIndex>>();
  private readonly declared = new Map<string, DeclaredIndex[]>();

  constructor(
    definitions: readonly CompositeIndex[],
    private readonly treeFor: (storageName: string) => EntryTree,
  ) {
    const seen = new Set<string>();
    definitions.forEach((definition, position) => {
      const storageName = `composite ${JSON.stringify(definition)}`;
      // The same index declared twice (two index files) is one index.
      if (seen.has(storageName)) {
        return;
      }
      seen.add(storageName);
      const index: DeclaredIndex = {
        name: `composite ${position}`,
        storageName,
        tree: treeFor(storageName),
        definition,
        entriesOf: (entity) => compositeEntries(definition, entity),
      };
      this.declared.set(definition.kind, [...(this.declared.get(definition.kind) ?? []), index]);
    });
  }

  kindIndex(kind: string): ScannableIndex {
    let index = this.byKind.get(kind);
    if (!index) {
      const storageName = `kind ${kind}`;
      index = { name: 'kind', storageName, tree: this.treeFor(storageName), entriesOf: (entity) => [entity.id] };
      this.byKind.set(kind, index);
    }
    return index;
  }

  propertyIndex(kind: string, property: string): ScannableIndex {
    let properties = this.byProperty.get(kind);
    if (!properties) {
      properties = new Map();
      this.byProperty.set(kind, properties);
    }
    let index = properties.get(property);
    if (!index) {
      const storageName = `property ${JSON.stringify([kind, property])}`;
      index = {
        name: `property ${property}`,
        storageName,
        tree: this.treeFor(storageName),
        entriesOf: (entity) => indexedValues(entity, property).map((value) => value + entity.id),
      };
      properties.set(property, index);
    }
    return index;
  }

  declaredIndexes(kind: string): readonly DeclaredIndex[] {
    return this.declared.get(kind) ?? [];
  }

  /** Every composite index of index.yaml, of every kind. */
  allDeclared(): DeclaredIndex[] {
    return [...this.declared.values()].flat();
  }

  /** Moves an entity's entries from its previous version to its next one (either may be absent). */
  replace(previous: StoredEntity | undefined, next: StoredEntity | undefined): void {
    const entity = next ?? previous;
    if (!entity) {
      return;
    }
    for (const index of this.indexesOf(entity, previous, next)) {
      const before = previous ? index.entriesOf(previous) : [];
      const after = next ? index.entriesOf(next) : [];
      // An update usually keeps most entries (a list that gained one id): only the difference moves.
      const kept = previous && next ? new Set(after) : undefined;
      for (const entry of before) {
        if (!kept?.delete(entry)) {
          index.tree.delete(entry);
        }
      }
      for (const entry of kept ?? after) {
        index.tree.insert(entry, entity.id);
      }
    }
  }

  private indexesOf(entity: StoredEntity, ...versions: (StoredEntity | undefined)[]): ScannableIndex[] {
    const kind = entity.key.kind;
    const properties = new Set(versions.flatMap((version) => (version ? Object.keys(version.data) : [])));
    return [
      this.kindIndex(kind),
      ...[...properties].map((property) => this.propertyIndex(kind, property)),
      ...this.declaredIndexes(kind),
    ];
  }
}

/** The distinct encoded values an entity has in a property's index: none when missing, excluded or []. */
function indexedValues(entity: StoredEntity, property: string): string[] {
  const value = entity.data[property];
  if (value === undefined || entity.excluded.includes(property)) {
    return [];
  }
  return Array.isArray(value) ? [...new Set(value.map(encodeValue))] : [encodeValue(value)];
}

/** [ancestor], each property in its direction, key: one entry per ancestor and combination of list values. */
function compositeEntries(definition: CompositeIndex, entity: StoredEntity): string[] {
  let rows = definition.ancestor ? ancestorsAndSelf(entity.key).map(encodeKey) : [''];
  for (const { name, direction } of definition.properties) {
    const values = name === KEY_PROPERTY ? [entity.id] : indexedValues(entity, name);
    const components = direction === 'desc' ? values.map(descending) : values;
    rows = rows.flatMap((row) => components.map((component) => row + component));
  }
  return rows.map((row) => row + entity.id);
}

function ancestorsAndSelf(key: Key): Key[] {
  return key.parent ? [...ancestorsAndSelf(key.parent), key] : [key];
}
