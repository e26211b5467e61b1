import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { KEY_PROPERTY, type Query } from './store.types.js';

/** One composite index as index.yaml declares it for `gcloud datastore indexes create`. */
export interface CompositeIndex {
  readonly kind: string;
  readonly ancestor: boolean;
  readonly properties: readonly { readonly name: string; readonly direction: 'asc' | 'desc' }[];
}

interface IndexYaml {
  indexes?: {
    kind?: unknown;
    ancestor?: unknown;
    properties?: { name?: unknown; direction?: unknown }[];
  }[];
}

/** Reads and checks the composite indexes of one or more index.yaml files (later files add to earlier ones). */
export function loadIndexDefinitions(paths: readonly string[]): CompositeIndex[] {
  return paths.flatMap((path) => parseIndexYaml(readFileSync(path, 'utf8'), path));
}

export function parseIndexYaml(text: string, source = 'index.yaml'): CompositeIndex[] {
  const document = (parse(text) ?? {}) as IndexYaml;
  return (document.indexes ?? []).map((entry, position) => {
    const where = `${source}: index #${position + 1}`;
    if (typeof entry.kind !== 'string' || entry.kind === '') {
      throw new Error(`${where} has no kind`);
    }
    const ancestor = entry.ancestor ?? 'no';
    if (ancestor !== 'yes' && ancestor !== 'no' && typeof ancestor !== 'boolean') {
      throw new Error(`${where}: ancestor must be yes or no`);
    }
    const properties = (entry.properties ?? []).map((property): CompositeIndex['properties'][number] => {
      const direction = property.direction ?? 'asc';
      if (typeof property.name !== 'string' || (direction !== 'asc' && direction !== 'desc')) {
        throw new Error(`${where}: every property needs a name and a direction of asc or desc`);
      }
      return { name: property.name, direction };
    });
    if (properties.length === 0) {
      throw new Error(`${where} lists no properties`);
    }
    return { kind: entry.kind, ancestor: ancestor === 'yes' || ancestor === true, properties };
  });
}

/**
 * The composite index a query needs, as an index.yaml entry: equality properties, then the inequality property,
 * then the sort orders (Datastore's own rule). Production names it in its error; the emulator does not.
 */
export function suggestIndex(query: Query): string {
  const filters = (query.filters ?? []).filter(({ property }) => property !== KEY_PROPERTY);
  const equalities = [...new Set(filters.filter(({ op }) => op === '=').map(({ property }) => property))];
  const orders = (query.orders ?? []).filter(({ property }) => !equalities.includes(property));
  const inequality = filters.find(({ op }) => op !== '=')?.property;
  if (inequality && !orders.some(({ property }) => property === inequality)) {
    orders.unshift({ property: inequality, direction: 'asc' });
  }
  const last = orders.at(-1);
  if (last?.property === KEY_PROPERTY && last.direction === 'asc') {
    orders.pop();
  }
  const lines = [`- kind: ${query.kind}`, ...(query.ancestor ? ['  ancestor: yes'] : []), '  properties:'];
  for (const name of equalities) {
    lines.push(`  - name: ${name}`);
  }
  for (const { property, direction } of orders) {
    lines.push(`  - name: ${property}`, ...(direction === 'desc' ? ['    direction: desc'] : []));
  }
  return lines.join('\n');
}
