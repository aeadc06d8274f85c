// @ts-check
// Reports the minified size of the two scripts that run in every frame of every page and
// fails the build when either is over its budget (docs/architecture.md#layers-in-src), or when either pulls
// in webextension-polyfill.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const outDir = process.argv[2] ?? join(process.env.LATCHKEY_OUT_DIR ?? '.output', 'chrome-mv3');
const budgets = [
  { name: 'page script (MAIN world)', file: 'content-scripts/webauthn.js', budget: 8 * 1024 },
  { name: 'relay (ISOLATED world)', file: 'relay.js', budget: 4 * 1024 },
];

let over = false;
for (const { name, file, budget } of budgets) {
  const text = readFileSync(join(outDir, file), 'utf8');
  const bytes = Buffer.byteLength(text);
  const polyfill = text.includes('webextension-polyfill');
  const ok = bytes <= budget && !polyfill;
  over ||= !ok;
  console.log(
    `${ok ? 'ok  ' : 'OVER'} ${name}: ${bytes} bytes of ${budget}${polyfill ? ' — includes webextension-polyfill' : ''}`,
  );
}
if (over) {
  console.error('A page-facing script is over its budget.');
  process.exit(1);
}
