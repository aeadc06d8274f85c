// @ts-check
// A probe, not part of the suite: a Chrome trace of Latchkey's toolbar popup and of the floor's,
// printed as the popup renderer's main-thread timeline from navigation start.
//   node bench/trace-popup.mjs <built extension dir> [opens]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startRelyingParty } from '../scripts/rp/server.mjs';
import { launchChromiumFloor, launchLatchkey } from './lib/browsers.mjs';
import { buildAll } from './lib/build.mjs';
import { registerThroughPrompt } from './lib/ceremony.mjs';
import { floorPopupOpen, latchkeyPopupOpen } from './lib/popup.mjs';

const extensionDir = path.resolve(process.argv[2]);
const opens = Number(process.argv[3] ?? 3);
const { chromiumFloorDir, harness } = await buildAll({ outDir: path.dirname(extensionDir), build: false });
const rp = await startRelyingParty();
const lk = await launchLatchkey({ extensionDir, harness });
const floor = await launchChromiumFloor({ extensionDir: chromiumFloorDir });
try {
  const page = await lk.browser.newPage();
  await page.goto(rp.url);
  await registerThroughPrompt(lk, page, 'trace');
  await lk.harness('seed', { rpIds: ['popup.example', 'localhost'], count: 9 });
  await new Promise((r) => setTimeout(r, 11_000));
  const url = `chrome-extension://${lk.extensionId}/popup.html`;
  for (let i = 0; i < 3; i++) { await latchkeyPopupOpen(lk, url); await floorPopupOpen(floor); }
  for (const [name, b, open] of /** @type {const} */ ([['latchkey', lk, () => latchkeyPopupOpen(lk, url)], ['floor', floor, () => floorPopupOpen(floor)]])) {
    const session = await b.browser.target().createCDPSession();
    /** @type {any[]} */ const events = [];
    session.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const done = new Promise((r) => session.once('Tracing.tracingComplete', r));
    await session.send('Tracing.start', { categories: 'views,content,renderer_host,devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing,v8,v8.execute,loading,toplevel,navigation,blink,ipc,mojom,disabled-by-default-devtools.timeline.frame', transferMode: 'ReportEvents' });
    /** @type {any[]} */ const results = [];
    for (let i = 0; i < opens; i++) results.push(await open());
    await session.send('Tracing.end');
    await done;
    writeFileSync(`/tmp/lkprobe/${name}.json`, JSON.stringify({ traceEvents: events }));
    console.log(name, results.map((r) => Math.round(/** @type {any} */ (r).firstRows ?? /** @type {any} */ (r).firstPaint)));
  }
} finally {
  await lk.close();
  await floor.close();
  await rp.close();
}
