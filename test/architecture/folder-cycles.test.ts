import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.join(import.meta.dirname, '..', '..', 'src');

/** Every .ts file under src/, relative to it. */
function sources(dir = src): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [path.relative(src, full)] : [];
  });
}

/** The folder a file belongs to: its first directory under src/, or the file itself at the top. */
const folderOf = (file: string) => file.split(path.sep)[0]!;

/** Relative specifiers of static imports, re-exports and dynamic imports, type-only ones included. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(src, file), 'utf8');
  const specifiers = [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((m) => m[1] ?? m[2]!);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => path.relative(src, path.resolve(path.dirname(path.join(src, file)), s)));
}

/** Folder -> folder edges, each with one file import that makes it. */
export function folderGraph(files = sources()): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of files) {
    const from = folderOf(file);
    for (const target of importsOf(file)) {
      const to = folderOf(target);
      if (to === from || to.startsWith('..')) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from)!.has(to)) graph.get(from)!.set(to, `${file} -> ${target}`);
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder (Tarjan): each is a cycle, direct or through others. */
export function folderCycles(graph: Map<string, Map<string, string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node)?.keys() ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

describe('folders under src/', () => {
  it('never import each other, directly or through other folders', () => {
    const graph = folderGraph();
    const cycles = folderCycles(graph).map((members) => ({
      folders: members,
      edges: members.flatMap((from) =>
        members.filter((to) => graph.get(from)?.has(to)).map((to) => graph.get(from)!.get(to)!),
      ),
    }));
    expect(cycles).toEqual([]);
  });

  it('finds a cycle through a third folder, and none in a chain', () => {
    const chain = new Map([
      ['a', new Map([['b', 'a/x.ts -> b/y.ts']])],
      ['b', new Map([['c', 'b/y.ts -> c/z.ts']])],
    ]);
    expect(folderCycles(chain)).toEqual([]);
    chain.set('c', new Map([['a', 'c/z.ts -> a/x.ts']]));
    expect(folderCycles(chain)).toEqual([['a', 'b', 'c']]);
  });
});
