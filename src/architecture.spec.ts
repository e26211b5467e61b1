import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layers of README's Architecture picture, lowest first. A folder imports only from its own layer or lower
 * ones, and never in a circle; files directly under src/ (the app's wiring) sit on top.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['config'],
  ['common'],
  ['store', 'blobs', 'images'],
  ['keys', 'membership', 'auth', 'tasks'],
  ['repositories', 'security', 'http'],
  ['relations'],
  ['users', 'media'],
  ['follows', 'likes', 'posts', 'comments', 'moderation'],
  ['timeline', 'notifications', 'discovery', 'health'],
  ['openapi'],
  ['(app)'],
];

const SRC = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every relative import and re-export of a file (type-only ones too: a circle of types is still a circle). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/gms),
    ...text.matchAll(/\bimport\('(\.[^']+)'\)/g),
  ].map((match) => match[1]);
  return specifiers.map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file).filter((target) => target.startsWith(SRC))]));
const folderOf = (file: string): string => {
  const parts = relative(SRC, file).split('/');
  return parts.length > 1 ? parts[0] : '(app)';
};
const name = (file: string): string => relative(SRC, file);

/** The strongly connected components with more than one member (Tarjan): each one is a circle. */
function circles(nodes: readonly string[], next: (node: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    for (const target of next(node)) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (stack.includes(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      for (let member = stack.pop(); member !== undefined; member = member === node ? undefined : stack.pop()) {
        component.push(member);
      }
      if (component.length > 1) {
        found.push(component.sort());
      }
    }
  };
  nodes.forEach((node) => (index.has(node) ? undefined : visit(node)));
  return found;
}

describe('architecture', () => {
  it('should resolve every relative import to a source file', () => {
    const unresolved = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => !graph.has(target)).map((target) => `${name(file)} -> ${name(target)}`),
    );

    expect(unresolved).toEqual([]);
  });

  it('should have no import circle between files', () => {
    expect(circles(files, (file) => graph.get(file) ?? []).map((circle) => circle.map(name))).toEqual([]);
  });

  it('should have no import circle between folders', () => {
    const folders = [...new Set(files.map(folderOf))];
    const edges = new Map(folders.map((folder) => [folder, new Set<string>()]));
    for (const [file, targets] of graph) {
      targets.forEach((target) => edges.get(folderOf(file))?.add(folderOf(target)));
    }

    expect(circles(folders, (folder) => [...(edges.get(folder) ?? [])].filter((other) => other !== folder))).toEqual(
      [],
    );
  });

  it('should import only from the same layer or a lower one', () => {
    const layerOf = new Map(LAYERS.flatMap((folders, layer) => folders.map((folder) => [folder, layer])));
    const unplaced = [...new Set(files.map(folderOf))].filter((folder) => !layerOf.has(folder));
    const upward = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((target) => (layerOf.get(folderOf(target)) ?? 0) > (layerOf.get(folderOf(file)) ?? 0))
        .map((target) => `${name(file)} -> ${name(target)}`),
    );

    expect(unplaced).toEqual([]);
    expect(upward).toEqual([]);
  });

  it("should match README's picture, layer by layer", () => {
    const readme = readFileSync(join(SRC, '..', 'README.md'), 'utf8');
    const picture = /## Architecture[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const drawn = picture
      .split('\n')
      .filter((line) => /^\S/.test(line))
      .map((line) => line.split(/\s{2,}/)[0].split(' · '));

    expect(drawn).toEqual([...LAYERS].reverse());
  });

  it('should keep HTTP exceptions at the edge: below it, errors are DomainErrors with a code', () => {
    const nestException = /import\s*{[^}]*Exception[^}]*}\s*from '@nestjs\/common'/;
    const offenders = files.filter(
      (file) => folderOf(file) !== 'http' && nestException.test(readFileSync(file, 'utf8')),
    );

    expect(offenders.map(name)).toEqual([]);
  });
});
