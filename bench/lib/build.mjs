// @ts-check
// Builds what the benchmark loads, into a directory of its own so it never clobbers
// .output/ or another engineer's build:
//   <dir>/chrome-mv3/      Latchkey, built by WXT exactly as `npm run build` does
//   <dir>/floor/           the floor extension (bench/floor-extension/, copied)
//   <dir>/chromium-floor/  the Chromium floor extension (bench/chromium-floor-extension/,
//                          copied, with Latchkey's built prompt and popup stylesheets as its
//                          prompt.css and popup.css)
//   <dir>/sw-harness.js    bench/harness/sw-harness.ts bundled as one script, evaluated in
//                          Latchkey's service worker over CDP; never part of the extension
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The harness works on trees from before the lock (issue 3) too: a source it imports that
 * does not exist yet becomes an empty module. @type {import('esbuild').Plugin}
 */
const optionalSources = {
  name: 'optional-sources',
  setup(build) {
    build.onResolve({ filter: /\/src\/background\/lock$/ }, (args) => {
      const file = path.resolve(args.resolveDir, `${args.path}.ts`);
      return existsSync(file) ? { path: file } : { path: args.path, namespace: 'missing' };
    });
    build.onLoad({ filter: /.*/, namespace: 'missing' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

/**
 * @param {{ outDir: string, build?: boolean, log?: (line: string) => void }} opts
 * @returns {Promise<{ extensionDir: string, floorDir: string, chromiumFloorDir: string, harness: string }>}
 */
export async function buildAll({ outDir, build = true, log = () => {} }) {
  const extensionDir = path.join(outDir, 'chrome-mv3');
  const floorDir = path.join(outDir, 'floor');
  const chromiumFloorDir = path.join(outDir, 'chromium-floor');
  const harness = path.join(outDir, 'sw-harness.js');
  mkdirSync(outDir, { recursive: true });
  if (build || !existsSync(path.join(extensionDir, 'manifest.json'))) {
    log(`building Latchkey into ${extensionDir}`);
    const res = spawnSync(path.join(ROOT, 'node_modules/.bin/wxt'), ['build'], {
      cwd: ROOT,
      env: { ...process.env, LATCHKEY_OUT_DIR: outDir },
      encoding: 'utf8',
    });
    if (res.status !== 0) throw new Error(`wxt build failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`);
  }
  cpSync(path.join(ROOT, 'bench/floor-extension'), floorDir, { recursive: true });
  cpSync(path.join(ROOT, 'bench/chromium-floor-extension'), chromiumFloorDir, { recursive: true });
  for (const page of ['prompt', 'popup']) {
    const styles = path.join(extensionDir, `assets/${page}-app.css`);
    if (existsSync(styles)) cpSync(styles, path.join(chromiumFloorDir, `${page}.css`));
  }
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'bench/harness/sw-harness.ts')],
    outfile: harness,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: false,
    logLevel: 'error',
    alias: { '@': ROOT },
    plugins: [optionalSources],
  });
  return { extensionDir, floorDir, chromiumFloorDir, harness };
}

/**
 * Builds Latchkey as it was at git `ref` (the A/B mode of page-load, `--ab=<ref>`): the ref is
 * checked out in a temporary worktree that borrows this tree's node_modules (a link; nothing
 * is installed), and WXT builds it into `<outDir>/chrome-mv3` through LATCHKEY_OUT_DIR. The
 * worktree is removed before this returns.
 * @param {{ ref: string, outDir: string, log?: (line: string) => void }} opts
 * @returns {{ extensionDir: string, commit: string }}
 */
export function buildRef({ ref, outDir, log = () => {} }) {
  const git = (/** @type {string[]} */ args, /** @type {string} */ cwd = ROOT) => {
    const res = spawnSync('git', args, { cwd, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${res.stderr}`);
    return res.stdout.trim();
  };
  const commit = git(['rev-parse', '--short', `${ref}^{commit}`]);
  const tree = mkdtempSync(path.join(tmpdir(), 'latchkey-bench-ab-'));
  git(['worktree', 'add', '--detach', tree, commit]);
  try {
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
    log(`building ${ref} (${commit}) into ${outDir}`);
    const res = spawnSync(path.join(ROOT, 'node_modules/.bin/wxt'), ['build'], {
      cwd: tree,
      env: { ...process.env, LATCHKEY_OUT_DIR: outDir },
      encoding: 'utf8',
    });
    if (res.status !== 0) throw new Error(`wxt build of ${ref} failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`);
    return { extensionDir: path.join(outDir, 'chrome-mv3'), commit };
  } finally {
    // The link goes first, so that nothing removes what it points to.
    rmSync(path.join(tree, 'node_modules'), { force: true });
    git(['worktree', 'remove', '--force', tree]);
    rmSync(tree, { recursive: true, force: true });
  }
}
