// The README and docs/ are read on GitHub and in the sources archive: every relative link and
// image must resolve (files, and #anchors to a heading), and the README must keep the two
// commands a newcomer starts with.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');

function markdownFiles(): string[] {
  const docs = path.join(root, 'docs');
  const inDocs = readdirSync(docs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(docs, f));
  return [path.join(root, 'README.md'), ...inDocs];
}

/** The text outside fenced code blocks and inline code, where links mean links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const match of prose(readFileSync(file, 'utf8')).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(match[1] ?? '');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const match of readFileSync(file, 'utf8').matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(match[1] ?? '');
  return anchors;
}

/** Every link and image target in a Markdown file: [text](target), ![alt](src), <img src>, <a href>. */
function targetsOf(file: string): string[] {
  const text = prose(readFileSync(file, 'utf8'));
  const targets: string[] = [];
  for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1] ?? '');
  for (const m of text.matchAll(/<(?:img|a)\s[^>]*?(?:src|href)="([^"]+)"/g)) targets.push(m[1] ?? '');
  return targets;
}

/** Why a relative target does not resolve, or undefined when it does. */
function problem(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: …
  const [rawPath = '', anchor] = target.split('#');
  const resolved = rawPath === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(rawPath));
  if (!existsSync(resolved)) return `${path.relative(root, resolved)} does not exist`;
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(resolved).isDirectory() || !resolved.endsWith('.md')) return undefined;
  return anchorsOf(resolved).has(anchor.toLowerCase()) ? undefined : `${path.relative(root, resolved)} has no heading #${anchor}`;
}

describe('docs', () => {
  it('makes GitHub anchors from headings', () => {
    expect(slug('"A passkey already exists"')).toBe('a-passkey-already-exists');
    expect(slug('Sign in from the username field (autofill)')).toBe('sign-in-from-the-username-field-autofill');
    expect(slug('What is encrypted and what is not')).toBe('what-is-encrypted-and-what-is-not');
  });

  it('every relative link and image in the README and docs/ resolves, anchors included', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      for (const target of targetsOf(file)) {
        const why = problem(file, target);
        if (why) broken.push(`${path.relative(root, file)}: (${target}) → ${why}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the README still shows both set-up commands', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const commands = [...readme.matchAll(/^```(?:sh|bash|console)?\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? '').join('\n');
    expect(commands).toMatch(/^npm ci && npm run demo\b/m);
    expect(commands).toMatch(/^npm test\b/m);
  });
});
