// The import graph of src/ and components/, read from the sources: no cycle inside src/
// (`import type` counts: a type-only cycle still ties the files together for a reader), and
// no component reaches into src/vault except through its one read-only module.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
/** The one module of src/vault that components may import: it reads, and holds no keys. */
const VAULT_FOR_COMPONENTS = 'src/vault/saved-head.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const SPECIFIER = /(?:^|[;\s])(?:import|export)\s+(?:type\s+)?(?:[\w*\s{},$]*?\s+from\s+)?['"]([^'"]+)['"]/g;

/** The files under ROOT that `file` imports (relative specifiers only), as paths from ROOT. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const [, specifier] of text.matchAll(SPECIFIER)) {
    if (!specifier!.startsWith('.')) continue;
    const base = resolve(dirname(file), specifier!);
    const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((candidate) => {
      try {
        return statSync(candidate).isFile();
      } catch {
        return false;
      }
    });
    if (target) found.push(relative(ROOT, target));
  }
  return found;
}

function graphOf(dirs: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const dir of dirs) for (const file of sources(join(ROOT, dir))) graph.set(relative(ROOT, file), importsOf(file));
  return graph;
}

/** Every cycle found by a depth-first walk, each as the files around it. */
function cyclesIn(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (file: string): void => {
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (onStack.has(next)) cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!done.has(next)) visit(next);
    }
    stack.pop();
    onStack.delete(file);
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  return cycles;
}

describe('architecture', () => {
  it('has no import cycle in src/, import type included', () => {
    const cycles = cyclesIn(graphOf(['src'])).map((cycle) => cycle.join(' -> '));
    expect(cycles).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(cyclesIn(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('components never import src/vault, except its read-only saved-head module', () => {
    const graph = graphOf(['components']);
    const reaches = [...graph].flatMap(([file, imports]) =>
      imports.filter((target) => target.startsWith('src/vault/') && target !== VAULT_FOR_COMPONENTS).map((target) => `${file} -> ${target}`),
    );
    expect(reaches).toEqual([]);
  });

  it('the read-only vault module imports nothing that holds keys', () => {
    expect(importsOf(join(ROOT, VAULT_FOR_COMPONENTS)).filter((target) => !/^src\/(vault\/(db-name|catalog|row)|protocol\/[\w-]+)\.ts$/.test(target))).toEqual([]);
  });
});
