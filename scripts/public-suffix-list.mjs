// @ts-check
// The Public Suffix List that ships with Latchkey, ICANN and private sections together, made at
// build time from the list tldts carries (wxt.config.ts writes it as the extension's
// public-suffix-list.txt), so that the service worker reads it and builds its lookup only when
// a ceremony first needs it (src/client/public-suffix.ts) instead of evaluating tldts's tables
// at every start. tldts
// stays the reference the unit tests hold the lookup to (tests/unit/client/public-suffix.test.ts).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * tldts's tables are a trie of labels read right to left: node n's edges are
 * edgeStart[n] .. edgeStart[n + 1] - 1, edge e's label is the next edgeLength[e] characters of
 * labelText (edges in order), and a node whose flags are not 0 ends a rule (1 ICANN, 2 private).
 * @returns {string[]} the rules, sorted
 */
export function publicSuffixRules() {
  /** @type {{ nodeFlags: Uint8Array, edgeStart: Uint16Array, edgeLength: Uint8Array, edgeChild: Uint16Array, labelText: string, rulesRoot: number, exceptionsRoot: number }} */
  const trie = require('tldts/dist/cjs/src/data/trie.js');
  const { nodeFlags, edgeStart, edgeLength, edgeChild, labelText } = trie;
  const labelAt = new Array(edgeLength.length);
  for (let e = 0, offset = 0; e < edgeLength.length; offset += edgeLength[e], e++) labelAt[e] = labelText.slice(offset, offset + edgeLength[e]);
  /** @type {string[]} */
  const rules = [];
  /** @param {number} node @param {string} suffix @param {string} prefix */
  const walk = (node, suffix, prefix) => {
    for (let e = edgeStart[node]; e < edgeStart[node + 1]; e++) {
      const name = suffix ? `${labelAt[e]}.${suffix}` : labelAt[e];
      const child = edgeChild[e];
      if (nodeFlags[child] !== 0) rules.push(prefix + name);
      walk(child, name, prefix);
    }
  };
  walk(trie.rulesRoot, '', '');
  walk(trie.exceptionsRoot, '', '!');
  if (rules.length < 5000 || !rules.includes('com') || !rules.includes('github.io')) {
    throw new Error(`tldts's public suffix tables were not read as expected (${rules.length} rules): has their format changed?`);
  }
  return rules.sort();
}

/**
 * The rules as Latchkey needs them, grouped by what follows their first label, one group a line:
 * `parent:a,b,*,!c` holds the rules a.parent, b.parent, *.parent and !c.parent. Left out, as they
 * change no answer for the hosts Latchkey asks about (lower-case ASCII, IDNs in punycode):
 * rules in Unicode (the list has their punycode too) and one-label rules (`com`), whose answer,
 * the last label, is also the implicit `*` rule's. About 90 KB, all ASCII.
 */
export function publicSuffixListText() {
  /** @type {Map<string, string[]>} */
  const groups = new Map();
  for (const rule of publicSuffixRules()) {
    if (/[^\x21-\x7e]/.test(rule)) continue;
    const exception = rule.startsWith('!') ? '!' : '';
    const name = rule.slice(exception.length);
    const dot = name.indexOf('.');
    if (dot < 0) {
      if (exception || name === '*') throw new Error(`the one-label rule ${rule} would change answers: it must be kept`);
      continue;
    }
    const parent = name.slice(dot + 1);
    const children = groups.get(parent) ?? [];
    children.push(exception + name.slice(0, dot));
    groups.set(parent, children);
  }
  return [...groups].map(([parent, children]) => `${parent}:${children.join(',')}`).join('\n');
}
