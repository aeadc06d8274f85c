// @ts-check
// HTML served by the demo relying party (scripts/rp/server.mjs). No external resources.

/**
 * The demo page's script, as a function so it stays readable; serialized into the page.
 * It exposes window.demo = { register(username, opts), signIn(username?, opts), autofill(opts),
 * signalUnknown(credentialId), signalAccepted(username), signalDetails(username),
 * extensionResults(), prfNote('seal' | 'open', text?) }.
 * Each resolves to the server's verdict ({verified, ...}) or {error: {name, message}} — it
 * never rejects — and keeps the last credential in demo.last for tests to inspect.
 *
 * opts: anything the server's /register/options or /login/options takes (attestation,
 * userVerification, residentKey, excludeCredentials, rpID, hints, algorithms, extensions,
 * displayName, timeout), plus client-side:
 *   publicKey: object merged into the options JSON before parse*FromJSON
 *   mediation: passed to navigator.credentials.get
 *   signal:    an AbortSignal
 *   reportUnknown: after a sign-in the server rejects as an unknown credential, send
 *              signalUnknownCredential for it, as a site using the Signal API does
 * The signal* methods fetch the options from the server's /signal/* endpoints and call the
 * PublicKeyCredential method with them; they resolve to {ok: true, sent: options | null} or {error}.
 */
function demoScript() {
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const statusEl = $('status');
  /** @param {string} text @param {'ok'|'err'|''} [kind] */
  const status = (text, kind = '') => {
    statusEl.textContent = text;
    statusEl.className = kind;
  };
  const CLIENT_KEYS = ['publicKey', 'mediation', 'signal', 'reportUnknown'];

  /** @param {string} path @param {unknown} body */
  async function post(path, body) {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const out = await res.json();
    if (out && typeof out.error === 'string') out.error = { name: 'ServerError', message: out.error };
    return out;
  }
  /** @param {Record<string, any>} opts */
  const serverPart = (opts) => Object.fromEntries(Object.entries(opts).filter(([k]) => !CLIENT_KEYS.includes(k)));
  /** @param {any} e */
  const asError = (e) => ({ error: { name: (e && e.name) || 'Error', message: String((e && e.message) || e) } });

  const demo = {
    /** @type {any} */
    last: null,
    /** @param {string} username @param {Record<string, any>} [opts] */
    async register(username, opts = {}) {
      demo.last = null;
      status(`Registering ${username}…`);
      try {
        const json = await post('/register/options', { username, ...serverPart(opts) });
        if (json.error) return done(json);
        Object.assign(json, opts.publicKey || {});
        const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(json);
        /** @type {CredentialCreationOptions} */
        const request = { publicKey };
        if (opts.signal) request.signal = opts.signal;
        const credential = /** @type {PublicKeyCredential} */ (await navigator.credentials.create(request));
        demo.last = { kind: 'create', options: json, credential };
        const verdict = await post('/register/verify', credential.toJSON());
        demo.last.verdict = verdict;
        return done(verdict, `Registered ${username}`);
      } catch (e) {
        return done(asError(e));
      }
    },
    /** @param {string} [username] @param {Record<string, any>} [opts] */
    async signIn(username, opts = {}) {
      demo.last = null;
      status(username ? `Signing in as ${username}…` : 'Signing in with a passkey…');
      try {
        const json = await post('/login/options', { ...(username ? { username } : {}), ...serverPart(opts) });
        if (json.error) return done(json);
        Object.assign(json, opts.publicKey || {});
        const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(json);
        /** @type {CredentialRequestOptions} */
        const request = { publicKey };
        if (opts.mediation) request.mediation = opts.mediation;
        if (opts.signal) request.signal = opts.signal;
        const credential = /** @type {PublicKeyCredential} */ (await navigator.credentials.get(request));
        demo.last = { kind: 'get', options: json, credential };
        const verdict = await post('/login/verify', credential.toJSON());
        demo.last.verdict = verdict;
        if (opts.reportUnknown && verdict.error && verdict.error.message === 'unknown credential') {
          demo.last.signaled = await demo.signalUnknown(credential.id);
        }
        return done(verdict, `Signed in as ${verdict.username}`);
      } catch (e) {
        return done(asError(e));
      }
    },
    /** L3 §5.1.10.1: tells the browser's passkey providers the site has no such credential. @param {string} credentialId */
    signalUnknown: (credentialId) => sendSignal('/signal/unknown', { credentialId }, 'signalUnknownCredential'),
    /** L3 §5.1.10.2: the credentials the site holds for this user. @param {string} username */
    signalAccepted: (username) => sendSignal('/signal/accepted', { username }, 'signalAllAcceptedCredentials'),
    /** L3 §5.1.10.3: the user's current names. @param {string} username */
    signalDetails: (username) => sendSignal('/signal/details', { username }, 'signalCurrentUserDetails'),
    /**
     * The last credential's client extension results, binary members as base64url (what
     * toJSON() gives), plus `types`: each binary member's type as getClientExtensionResults() gave it.
     */
    extensionResults() {
      const results = demo.last?.credential?.getClientExtensionResults() ?? {};
      /** @type {Record<string, string>} */
      const types = {};
      const b64 = (/** @type {ArrayBuffer} */ buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      const walk = (/** @type {any} */ o, /** @type {string} */ path) => {
        for (const [k, v] of Object.entries(o)) {
          if (v instanceof ArrayBuffer) {
            types[`${path}${k}`] = 'ArrayBuffer';
            o[k] = b64(v);
          } else if (v && typeof v === 'object') walk(v, `${path}${k}.`);
        }
      };
      walk(results, '');
      return { results, types };
    },
    /**
     * An end-to-end encrypted note, as sites that unlock data with a passkey keep one: the
     * AES-GCM key is HKDF-SHA-256 of the last ceremony's PRF output (prf.results.first).
     * 'seal' encrypts `text` into localStorage; 'open' decrypts it (rejecting if the key differs).
     * @param {'seal'|'open'} action @param {string} [text]
     */
    async prfNote(action, text = '') {
      try {
        const first = demo.last?.credential?.getClientExtensionResults()?.prf?.results?.first;
        if (!(first instanceof ArrayBuffer)) return { error: { name: 'NoPrf', message: 'the last ceremony gave no PRF output' } };
        const material = await crypto.subtle.importKey('raw', first, 'HKDF', false, ['deriveKey']);
        const key = await crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: new TextEncoder().encode('demo note') },
          material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
        if (action === 'seal') {
          const iv = crypto.getRandomValues(new Uint8Array(12));
          const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(text)));
          localStorage.setItem('demo-note', JSON.stringify({ iv: [...iv], sealed: [...sealed] }));
          return { ok: true };
        }
        const stored = JSON.parse(localStorage.getItem('demo-note') ?? 'null');
        if (!stored) return { error: { name: 'NoNote', message: 'no note stored' } };
        const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(stored.iv) }, key, new Uint8Array(stored.sealed));
        return { ok: true, text: new TextDecoder().decode(plain) };
      } catch (e) {
        return asError(e);
      }
    },
    /** Starts a conditional (autofill) sign-in on the username field. */
    autofill(opts = {}) {
      return demo.signIn(undefined, { ...opts, mediation: 'conditional' });
    },
  };

  /** @param {string} path @param {object} body @param {string} method */
  async function sendSignal(path, body, method) {
    try {
      const options = await post(path, body);
      if (options.error) return options;
      if (!options.rpId) return { ok: true, sent: null };
      await /** @type {any} */ (PublicKeyCredential)[method](options);
      return { ok: true, sent: options };
    } catch (e) {
      return asError(e);
    }
  }

  /** @param {any} out @param {string} [okText] */
  function done(out, okText) {
    if (out && out.verified) status(`✓ ${okText}`, 'ok');
    else if (out && out.error) status(`✗ ${out.error.name}: ${out.error.message}`, 'err');
    else status('✗ The server did not verify the response', 'err');
    return out;
  }

  /** @type {any} */ (window).demo = demo;
  const user = /** @type {HTMLInputElement} */ ($('username'));
  $('register').addEventListener('click', () => demo.register(user.value.trim() || 'alice'));
  $('signin').addEventListener('click', () => demo.signIn(user.value.trim() || undefined));
  if (new URLSearchParams(location.search).has('autofill')) demo.autofill();
}

export const DEMO_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Latchkey demo site</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1d2330; }
  h1 { font-size: 1.5rem; margin-bottom: .25rem; }
  p.sub { color: #5b6475; margin-top: 0; }
  label { display: block; font-weight: 600; margin: 1.5rem 0 .25rem; }
  input { font: inherit; padding: .5rem .75rem; width: 100%; box-sizing: border-box; border: 1px solid #b9c0cc; border-radius: .5rem; }
  .row { display: flex; gap: .75rem; margin-top: 1rem; }
  button { font: inherit; padding: .5rem 1rem; border-radius: .5rem; border: 1px solid #2851c8; background: #2f5fe0; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #2851c8; }
  #status { margin-top: 1.5rem; min-height: 1.5em; padding: .75rem; border-radius: .5rem; background: #f1f3f7; white-space: pre-wrap; }
  #status.ok { background: #e3f6e8; color: #17602c; }
  #status.err { background: #fdecec; color: #8a1c1c; }
</style>
</head>
<body>
<h1>Latchkey demo site</h1>
<p class="sub">A relying party on localhost that verifies passkeys with @simplewebauthn/server.</p>
<label for="username">Username</label>
<input id="username" data-testid="demo-username" name="username" autocomplete="username webauthn" placeholder="alice" spellcheck="false">
<div class="row">
  <button id="register" data-testid="demo-register" type="button">Register</button>
  <button id="signin" data-testid="demo-signin" type="button" class="secondary">Sign in</button>
</div>
<div id="status" data-testid="demo-status" role="status" aria-live="polite"></div>
<script>(${demoScript.toString()})();</script>
</body>
</html>
`;

export const PLAIN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>plain</title></head><body></body></html>
`;
