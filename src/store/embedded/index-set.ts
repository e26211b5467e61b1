import type { CompositeIndex } from '../index-definitions.js';
import { KEY_PROPERTY } from '../store.types.js';
import type { Key } from '../store.types.js';
import { descending, encodeKey, encodeValue } from './encoding.js';
import { SortedIndex } from './sorted-index.js';
import type { StoredEntity } from './stored-entity.js';

/** One index the planner can scan, and how to compute an entity's entries in it. */
export interface ScannableIndex {
  /** Names the index in cursors, so a cursor of another index is refused. */
  readonly name: string;
  readonly tree: SortedIndex;
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

  constructor(definitions: readonly CompositeIndex[]) {
    definitions.forEach((definition, position) => {
      const index: DeclaredIndex = {
        name: `composite ${position}`,
        tree: new SortedIndex(),
        definition,
        entriesOf: (entity) => compositeEntries(definition, entity),
      };
      this.declared.set(definition.kind, [...(this.declared.get(definition.kind) ?? []), index]);
    });
  }

  kindIndex(kind: string): ScannableIndex {
    let index = this.byKind.get(kind);
    if (!index) {
      index = { name: 'kind', tree: new SortedIndex(), entriesOf: (entity) => [entity.id] };
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
      index = {
        name: `property ${property}`,
        tree: new SortedIndex(),
        entriesOf: (entity) => indexedValues(entity, property).map((value) => value + entity.id),
      };
      properties.set(property, index);
    }
    return index;
  }

  declaredIndexes(kind: string): readonly DeclaredIndex[] {
    return this.declared.get(kind) ?? [];
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
