import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

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
