import { installLatchkey } from '@/src/page/install';

// MAIN world, every frame, document_start: wxt.config.ts gives this script the same frame
// options as the relay when it writes the manifest, so they are not carried in the bundle
// (the page script has an 8 KB budget). The bundle declares no global: a `var webauthn` would be
// the page's, and a page script's own `let webauthn` would then fail to declare it.
export default defineContentScript({
  matches: ['<all_urls>'],
  world: 'MAIN',
  globalName: false,
  main: installLatchkey,
});
