#!/usr/bin/env node
// @ts-check
// The soak: the property suites (tests/unit/property) with 10,000 cases per property, then the
// hostile-page flood (tests/soak/flood.mjs, when present), whose last stdout line is one JSON
// object of memory figures. Prints a summary and writes bench/soak.json.
//
//   npm run soak                    10,000 cases per property
//   npm run soak -- --runs=500      fewer (a quick check that the soak runs)
//   LATCHKEY_FUZZ_SEED=123 npm run soak   replays one seed
//
// The exit code is 1 when a property failed or a part of the soak did not run.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.find((a) => a.startsWith('--runs='));
const RUNS = runsArg ? Number(runsArg.slice('--runs='.length)) : 10_000;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer, not ${runsArg}`);

const started = Date.now();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'latchkey-soak-'));
const figuresFile = path.join(scratch, 'figures.jsonl');
let ok = true;

// 1. The property suites, one vitest run, each property RUNS times.
console.log(`Soak: property suites, ${RUNS.toLocaleString('en')} cases per property`);
const vitest = spawnSync('npx', ['vitest', 'run', 'tests/unit/property'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, LATCHKEY_FUZZ_RUNS: String(RUNS), LATCHKEY_FUZZ_FIGURES: figuresFile },
});
if (vitest.status !== 0) ok = false;

/** @type {{ property: string; runs: number; failures: number; seconds: number; outcomes: Record<string, number> }[]} */
const properties = existsSync(figuresFile)
  ? readFileSync(figuresFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
  : [];
rmSync(scratch, { recursive: true, force: true });
if (properties.length === 0) ok = false;

// 2. The flood, when its file exists.
const floodFile = path.join(ROOT, 'tests/soak/flood.mjs');
/** @type {unknown} */
let flood = null;
let floodSeconds = 0;
if (existsSync(floodFile)) {
  console.log('\nSoak: the flood (tests/soak/flood.mjs)');
  const floodStarted = Date.now();
  const run = spawnSync('node', [floodFile], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  floodSeconds = (Date.now() - floodStarted) / 1000;
  process.stdout.write(run.stdout ?? '');
  const last = (run.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    flood = JSON.parse(last);
  } catch {
    flood = null;
  }
  if (run.status !== 0 || flood === null) {
    ok = false;
    console.log(`The flood ${run.status !== 0 ? `exited with ${run.status}` : 'printed no JSON figures on its last line'}.`);
  }
} else {
  console.log('\nSoak: no tests/soak/flood.mjs, the flood is skipped.');
}

// 3. The summary.
const total = {
  cases: properties.reduce((n, p) => n + p.runs, 0),
  failures: properties.reduce((n, p) => n + p.failures, 0),
  seconds: Math.round((Date.now() - started) / 100) / 10,
};
console.log('\n| Property | Cases | Failures | Seconds |\n|---|---:|---:|---:|');
for (const p of properties) console.log(`| ${p.property} | ${p.runs.toLocaleString('en')} | ${p.failures} | ${p.seconds} |`);
console.log(`| **Total** | **${total.cases.toLocaleString('en')}** | **${total.failures}** | ${total.seconds} (whole soak) |`);
if (flood !== null) console.log(`\nFlood (${Math.round(floodSeconds)} s): ${JSON.stringify(flood)}`);

const report = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${os.platform()} ${os.arch()}, ${os.cpus().length} cores`,
  runsPerProperty: RUNS,
  ...(process.env.LATCHKEY_FUZZ_SEED ? { seed: Number(process.env.LATCHKEY_FUZZ_SEED) } : {}),
  properties,
  total,
  flood,
  ok,
};
writeFileSync(path.join(ROOT, 'bench/soak.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nWrote bench/soak.json${ok ? '' : ' (the soak FAILED)'}.`);
process.exit(ok && total.failures === 0 ? 0 : 1);
