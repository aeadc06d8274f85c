// docs/THREATS.md has no line without a test: every table line names at least one unit or e2e
// test, and every `file › name › …` it quotes is in that file (a name ending in "…" is a
// prefix; "…" inside one skips text, in order; `› name` goes on with the file before it).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');

/** Curly quotes as straight ones, and a source file's escaped quotes as the doc writes them. */
const normal = (text: string) => text.replace(/[’‘]/g, "'").replace(/\\(['"`])/g, '$1');

/** The file a reference names: unit and e2e files by their short path. */
function testFile(kind: 'unit' | 'e2e', file: string): string {
  return kind === 'unit' ? path.join(root, 'tests/unit', `${file}.test.ts`) : path.join(root, 'tests/e2e', `${file}.test.mjs`);
}

/** Every test reference of a table line's last cell, as [kind, file, names]. */
export function references(cell: string): { kind: 'unit' | 'e2e'; file: string; names: string[] }[] {
  const out: { kind: 'unit' | 'e2e'; file: string; names: string[] }[] = [];
  let kind: 'unit' | 'e2e' | undefined;
  let file: string | undefined;
  let from = 0;
  for (const match of cell.matchAll(/(`+)(.+?)\1(?!`)/g)) {
    const before = cell.slice(from, match.index);
    from = (match.index ?? 0) + match[0].length;
    const said = [...before.matchAll(/\b(unit|e2e|soak|bench)\b/g)].at(-1)?.[1];
    if (said) kind = said === 'unit' || said === 'e2e' ? said : undefined;
    const span = (match[2] ?? '').trim();
    if (!kind) continue;
    const parts = span.split(/\s*›\s*/);
    if (parts[0] !== '') file = parts[0];
    else if (!file) continue;
    if (!/^[a-z][\w-]*(\/[\w-]+)?$/.test(file ?? '')) continue; // code in the prose, not a test file
    out.push({ kind, file: file!, names: parts.slice(1) });
  }
  return out;
}

/** Why `name` is not in `source`, or undefined when it is. */
function missing(source: string, name: string): string | undefined {
  let at = 0;
  for (const piece of normal(name).split('…').map((p) => p.trim()).filter(Boolean)) {
    const found = source.indexOf(piece, at);
    if (found < 0) return piece;
    at = found + piece.length;
  }
  return undefined;
}

describe('docs/THREATS.md', () => {
  const lines = readFileSync(path.join(root, 'docs/THREATS.md'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| threat |'));

  it('reads references as the file writes them', () => {
    expect(references('unit `a/b › x`, `› y…`; e2e `c › z`, soak `tests/soak/flood.mjs`')).toEqual([
      { kind: 'unit', file: 'a/b', names: ['x'] },
      { kind: 'unit', file: 'a/b', names: ['y…'] },
      { kind: 'e2e', file: 'c', names: ['z'] },
    ]);
    expect(references('unit ``page/x › a `get` and a `set` ``')).toEqual([{ kind: 'unit', file: 'page/x', names: ['a `get` and a `set`'] }]);
    expect(missing("it('one two three', …)", 'one … three')).toBeUndefined();
    expect(missing("it('one two three', …)", 'three … one')).toBe('one');
  });

  it('has table lines', () => {
    expect(lines.length).toBeGreaterThan(40);
  });

  it('names a unit or e2e test on every line', () => {
    const without = lines.filter((line) => references(line.split(' | ').at(-1) ?? '').length === 0);
    expect(without.map((line) => line.slice(0, 80))).toEqual([]);
  });

  it('names only tests that exist, as they are named', () => {
    const wrong: string[] = [];
    for (const line of lines) {
      for (const { kind, file, names } of references(line.split(' | ').at(-1) ?? '')) {
        const where = testFile(kind, file);
        if (!existsSync(where)) {
          wrong.push(`${kind} ${file}: no such file`);
          continue;
        }
        const source = normal(readFileSync(where, 'utf8'));
        for (const name of names) {
          const piece = missing(source, name);
          if (piece !== undefined) wrong.push(`${kind} ${file} › ${name}: "${piece}" is not in ${path.relative(root, where)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
