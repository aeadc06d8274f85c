import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { publicSuffixListText } from './scripts/public-suffix-list.mjs';

// Content scripts run in every frame of every page, including about:blank and srcdoc
// frames, which inherit their creator's origin (docs/architecture.md#manifest).
const everyFrame = {
  matches: ['<all_urls>'],
  run_at: 'document_start' as const,
  all_frames: true,
  match_about_blank: true,
  match_origin_as_fallback: true,
};

// WXT runs a content script's main() inside an async wrapper that, in a production build, adds
// only a promise and a logger that logs nothing: in the MAIN-world page script that was 330 of
// its 6,144 bytes and about 50 µs of its 0.5 ms install (bench/lib/scripts.mjs). Main-world
// entrypoints, and the relay (the one unlisted script), call main() directly instead; an error
// in it is thrown as it is.
const bareEntries = ['\0virtual:wxt-content-script-main-world-entrypoint?', '\0virtual:wxt-unlisted-script-entrypoint?'];
const bareMainWorldEntrypoint = {
  name: 'latchkey:bare-main-world-entrypoint',
  enforce: 'pre' as const,
  load(id: string) {
    const entry = bareEntries.find((prefix) => id.startsWith(prefix));
    if (!entry) return null;
    return `import definition from ${JSON.stringify(id.slice(entry.length))};\ndefinition.main();\n`;
  },
};

// WXT puts a module script in every HTML page's head to start its runtime plugins. Latchkey
// has none, and Vite added its modulepreload polyfill (which Chromium and Firefox do not need;
// see modulePreload below) to that script, so every page fetched and ran one more module
// before its own code: the prompt window and the popup, and the pages built as modules (the
// autofill frame under a site's username field, the offscreen document), which imported it as
// a chunk. While there is no runtime plugin (the config:resolved hook below tells), the
// script's module is empty, and the build drops it and its tag.
let wxtRuntimePlugins: readonly string[] = [];
const noHtmlPluginScript = {
  name: 'latchkey:no-html-plugin-script',
  enforce: 'pre' as const,
  load(id: string) {
    return id === '\0virtual:wxt-html-plugins' && wxtRuntimePlugins.length === 0 ? '' : null;
  },
};

/** public/icon/<name>-<size>.png at the sizes drawn by scripts/make-icons.mjs. */
const iconSet = (name: string) => Object.fromEntries([16, 32, 48, 128].map((size) => [size, `icon/${name}-${size}.png`]));

export default defineConfig({
  // LATCHKEY_OUT_DIR lets several builds (parallel work, benchmarks) live side by side.
  outDir: process.env.LATCHKEY_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  // `npm run zip`: store-ready archives named from package.json's version, and for Firefox's
  // review the sources that build it (`npm ci && npm run build:firefox`), without tests,
  // bench and generated files.
  zip: {
    artifactTemplate: '{{name}}-{{packageVersion}}-{{browser}}.zip',
    sourcesTemplate: '{{name}}-{{packageVersion}}-sources.zip',
    excludeSources: ['tests/**', 'bench/**', 'demo-artifacts/**', 'docs/images/**', '*.log'],
  },
  vite: () => ({
    plugins: [preact(), bareMainWorldEntrypoint, noHtmlPluginScript],
    // The extension API without webextension-polyfill's CommonJS interop (src/webextension.ts).
    resolve: {
      alias: [{ find: /^webextension-polyfill$/, replacement: fileURLToPath(new URL('./src/webextension.ts', import.meta.url)) }],
    },
    build: {
      // Vite's modulepreload polyfill is for browsers without <link rel="modulepreload">;
      // Chromium and Firefox have it.
      modulePreload: { polyfill: false },
    },
  }),
  manifest: ({ browser }) => ({
    name: 'Latchkey',
    description: 'Save passkeys in your browser, sign in with them anywhere, and manage them.',
    // docs/architecture.md#manifest: no `tabs`, which would warn the user about browsing history.
    // `offscreen` (Chromium) holds the document that keeps Latchkey ready (src/background/keep-ready.ts);
    // it shows the user no warning.
    // `scripting` and host access to every site put the relay and the page script into tabs open
    // before an install or update (src/background/inject.ts); the content scripts' <all_urls>
    // matches already cost the same install warning.
    permissions: ['storage', 'alarms', 'idle', 'webNavigation', 'scripting', ...(browser === 'firefox' ? [] : ['offscreen'])],
    host_permissions: ['<all_urls>'],
    icons: iconSet('badge'),
    // The toolbar icon is a glyph that follows the browser's theme: in Chromium the offscreen
    // document tells the worker the scheme; Firefox picks from theme_icons itself.
    action: {
      default_title: 'Latchkey passkeys',
      default_icon: iconSet('glyph-dark'),
      ...(browser === 'firefox' && {
        theme_icons: [16, 32].map((size) => ({ light: `icon/glyph-light-${size}.png`, dark: `icon/glyph-dark-${size}.png`, size })),
      }),
    },
    // Asked only when the user acts, to read a site's /.well-known/passkey-endpoints.
    // (/.well-known/webauthn for related origins needs no permission in Chromium: the content
    // scripts' <all_urls> match already exempts the service worker's fetches from CORS; see
    // src/background/well-known.ts.)
    optional_host_permissions: ['https://*/*'],
    // Latchkey's passkey suggestions under a username field (passkey autofill) are an extension
    // page framed in the site; a dynamic URL keeps sites from probing for it.
    web_accessible_resources: [{ resources: ['autofill.html'], matches: ['<all_urls>'], use_dynamic_url: true }],
    // hash-wasm's Argon2id needs WebAssembly in the extension pages and the service worker.
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    // Firefox needs an add-on id for storage and IndexedDB to outlive a restart.
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'latchkey@latchkey.dev',
          strict_min_version: '128.0',
          // Latchkey sends nothing anywhere.
          data_collection_permissions: { required: ['none'] },
        },
      },
    }),
  }),
  hooks: {
    'config:resolved': (wxt) => {
      wxtRuntimePlugins = wxt.config.plugins;
    },
    // The Public Suffix List, read by the service worker at its first ceremony
    // (src/client/public-suffix.ts), made from the list in the tldts package installed.
    'build:publicAssets': (_wxt, files) => {
      files.push({ relativeDest: 'public-suffix-list.txt', contents: publicSuffixListText() });
    },
    // The relay is an unlisted script rather than a `.content.ts` entrypoint: WXT wraps
    // isolated-world content scripts in a ContentScriptContext that pulls in
    // webextension-polyfill (about 10 KB), four times the relay's budget.
    // The MAIN-world page script (entrypoints/webauthn.content.ts) gets the same frame options
    // here, which keeps them out of its 6 KB bundle.
    'build:manifestGenerated': (_wxt, manifest) => {
      manifest.content_scripts ??= [];
      for (const script of manifest.content_scripts) {
        if (script.js?.includes('content-scripts/webauthn.js')) Object.assign(script, everyFrame);
      }
      manifest.content_scripts.unshift({ ...everyFrame, js: ['relay.js'] });
    },
  },
});
