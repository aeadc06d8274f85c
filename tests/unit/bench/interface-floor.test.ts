// The page script's interface floor (bench/lib/interface-floor.json, timed by bench/lib/scripts.mjs) must read every web interface the
// page script reads at install, or the bench would count Chromium's work as Latchkey's.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import INTERFACE_FLOOR from '../../../bench/lib/interface-floor.json';

const PAGE = path.resolve(import.meta.dirname, '../../../src/page');
/** ECMAScript's own: no interface object to build. */
const LANGUAGE = new Set(['Function', 'Object', 'Promise', 'String', 'Array', 'Reflect', 'Uint8Array']);

function interfacesReadBySrcPage(): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(PAGE).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(path.join(PAGE, file), 'utf8');
    for (const [, name] of text.matchAll(/\b([A-Z][A-Za-z]+)\.prototype\b/g)) names.add(name!);
    for (const [, name] of text.matchAll(/\brealm\.([A-Z][A-Za-z]+)/g)) names.add(name!);
  }
  // The interfaces whose members credential.ts patches are named as keys of MEMBERS.
  const members = readFileSync(path.join(PAGE, 'credential.ts'), 'utf8').match(/const MEMBERS = \{([^}]*)\}/)![1]!;
  for (const [, name] of members.matchAll(/^\s*([A-Z][A-Za-z]+):/gm)) names.add(name!);
  return new Set([...names].filter((name) => !LANGUAGE.has(name)));
}

describe('the page script interface floor', () => {
  it('reads every web interface src/page reads at install', () => {
    const read = interfacesReadBySrcPage();
    expect(read.size).toBeGreaterThan(8);
    const missing = [...read].filter((name) => !INTERFACE_FLOOR.includes(name));
    expect(missing).toEqual([]);
  });
});
