// @ts-check
// Functions run inside a page (page.evaluate): they check credential shapes and argument
// errors there and return the problems found.

/** @typedef {import('puppeteer-core').Browser} Browser */
/** @typedef {import('puppeteer-core').Page} Page */
/** @typedef {import('puppeteer-core').Target} Target */
/** @typedef {import('puppeteer-core').CDPSession} CDPSession */

/**
 * Runs in the page: lists the ways `demo.last.credential` differs from a native
 * PublicKeyCredential of the given kind. An empty array means it looks native.
 * @param {string} kind 'create' or 'get' @param {number} [expectedAlg]
 */
export async function credentialShapeProblemsInPage(kind, expectedAlg = -7) {
  const w = /** @type {any} */ (window);
  /** @type {any} */
  const cred = w.demo?.last?.credential;
  /** @type {string[]} */
  const problems = [];
  const check = (/** @type {unknown} */ ok, /** @type {string} */ what) => {
    if (!ok) problems.push(what);
  };
  if (!cred) return ['no credential in demo.last'];
  const b64url = (/** @type {ArrayBuffer} */ buf) =>
    btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  check(cred instanceof PublicKeyCredential, 'cred instanceof PublicKeyCredential');
  check(cred instanceof Credential, 'cred instanceof Credential');
  check(Object.prototype.toString.call(cred) === '[object PublicKeyCredential]', `toStringTag: ${Object.prototype.toString.call(cred)}`);
  check(cred.type === 'public-key', `type: ${cred.type}`);
  check(cred.rawId instanceof ArrayBuffer, 'rawId instanceof ArrayBuffer');
  check(cred.rawId instanceof ArrayBuffer && cred.id === b64url(cred.rawId), 'id === base64url(rawId)');
  check(Object.getOwnPropertyNames(cred).length === 0, `own properties on cred: ${Object.getOwnPropertyNames(cred).join(', ')}`);
  check(Object.getOwnPropertySymbols(cred).length === 0, 'own symbol properties on cred');
  check(Object.getOwnPropertyNames(cred.response ?? {}).length === 0, `own properties on response: ${Object.getOwnPropertyNames(cred.response ?? {}).join(', ')}`);
  check(typeof cred.toJSON === 'function', 'toJSON is a function');
  try {
    check(JSON.stringify(cred) === JSON.stringify(cred.toJSON()), 'JSON.stringify(cred) === JSON.stringify(cred.toJSON())');
  } catch (e) {
    problems.push(`JSON.stringify threw ${e}`);
  }
  const ext = cred.getClientExtensionResults?.();
  check(ext && typeof ext === 'object', 'getClientExtensionResults() returns an object');
  check(cred.authenticatorAttachment === null || typeof cred.authenticatorAttachment === 'string', 'authenticatorAttachment is a string or null');
  const r = cred.response;
  check(r instanceof AuthenticatorResponse, 'response instanceof AuthenticatorResponse');
  check(r?.clientDataJSON instanceof ArrayBuffer, 'clientDataJSON instanceof ArrayBuffer');
  try {
    const cd = JSON.parse(new TextDecoder().decode(r.clientDataJSON));
    check(cd.type === (kind === 'create' ? 'webauthn.create' : 'webauthn.get'), `clientData.type: ${cd.type}`);
    check(cd.origin === location.origin, `clientData.origin: ${cd.origin}`);
    check(cd.crossOrigin === false || cd.crossOrigin === undefined, `clientData.crossOrigin: ${cd.crossOrigin}`);
  } catch (e) {
    problems.push(`clientDataJSON does not parse: ${e}`);
  }
  const json = cred.toJSON?.() ?? {};
  check(json.id === cred.id && json.rawId === cred.id, 'toJSON().id and rawId === id');
  check(json.type === 'public-key', 'toJSON().type');
  check(typeof json.response?.clientDataJSON === 'string', 'toJSON().response.clientDataJSON is a string');
  if (kind === 'create') {
    check(r instanceof AuthenticatorAttestationResponse, 'response instanceof AuthenticatorAttestationResponse');
    check(r?.attestationObject instanceof ArrayBuffer, 'attestationObject instanceof ArrayBuffer');
    /** @type {ArrayBuffer|null} */
    let spki = null;
    try {
      spki = r.getPublicKey();
      check(spki instanceof ArrayBuffer && spki.byteLength > 0, 'getPublicKey() is a non-empty ArrayBuffer');
    } catch (e) {
      problems.push(`getPublicKey() threw ${e}`);
    }
    try {
      check(r.getPublicKeyAlgorithm() === expectedAlg, `getPublicKeyAlgorithm(): ${r.getPublicKeyAlgorithm()} (expected ${expectedAlg})`);
    } catch (e) {
      problems.push(`getPublicKeyAlgorithm() threw ${e}`);
    }
    try {
      const t = r.getTransports();
      check(Array.isArray(t) && t.every((x) => typeof x === 'string'), 'getTransports() is an array of strings');
    } catch (e) {
      problems.push(`getTransports() threw ${e}`);
    }
    try {
      const ad = r.getAuthenticatorData();
      check(ad instanceof ArrayBuffer && ad.byteLength >= 37, 'getAuthenticatorData() is an ArrayBuffer of >= 37 bytes');
    } catch (e) {
      problems.push(`getAuthenticatorData() threw ${e}`);
    }
    if (spki && expectedAlg === -7) {
      try {
        await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
      } catch (e) {
        problems.push(`getPublicKey() is not a P-256 SPKI WebCrypto imports: ${e}`);
      }
    }
    check(typeof json.response?.attestationObject === 'string', 'toJSON().response.attestationObject is a string');
    check(Array.isArray(json.response?.transports), 'toJSON().response.transports is an array');
    check(json.response?.publicKeyAlgorithm === expectedAlg, 'toJSON().response.publicKeyAlgorithm');
  } else {
    check(r instanceof AuthenticatorAssertionResponse, 'response instanceof AuthenticatorAssertionResponse');
    check(r?.authenticatorData instanceof ArrayBuffer && r.authenticatorData.byteLength >= 37, 'authenticatorData is an ArrayBuffer of >= 37 bytes');
    check(r?.signature instanceof ArrayBuffer && r.signature.byteLength > 0, 'signature is a non-empty ArrayBuffer');
    check(r?.userHandle instanceof ArrayBuffer && r.userHandle.byteLength > 0, 'userHandle is a non-empty ArrayBuffer');
    check(typeof json.response?.signature === 'string', 'toJSON().response.signature is a string');
  }
  return problems;
}

/**
 * Runs in the page: calls create/get with arguments of the wrong types. Per WebIDL each call
 * must return a promise (nothing thrown synchronously) that rejects with the page realm's
 * TypeError. Returns the cases that did not.
 */
export async function badArgumentProblemsInPage() {
  const user = { id: new Uint8Array([1, 2, 3, 4]), name: 'alice', displayName: 'Alice' };
  const params = [{ type: 'public-key', alg: -7 }];
  const challenge = new Uint8Array(32);
  /** @type {[string, () => any][]} */
  const cases = [
    ['create: publicKey is {}', () => navigator.credentials.create(/** @type {any} */ ({ publicKey: {} }))],
    ['create: challenge is a string', () => navigator.credentials.create(/** @type {any} */ ({ publicKey: { challenge: 'abc', rp: { name: 'x' }, user, pubKeyCredParams: params } }))],
    ['create: user.id missing', () => navigator.credentials.create(/** @type {any} */ ({ publicKey: { challenge, rp: { name: 'x' }, user: { name: 'a', displayName: 'a' }, pubKeyCredParams: params } }))],
    ['create: rp missing', () => navigator.credentials.create(/** @type {any} */ ({ publicKey: { challenge, user, pubKeyCredParams: params } }))],
    ['create: pubKeyCredParams is a number', () => navigator.credentials.create(/** @type {any} */ ({ publicKey: { challenge, rp: { name: 'x' }, user, pubKeyCredParams: 5 } }))],
    ['get: challenge is a number', () => navigator.credentials.get(/** @type {any} */ ({ publicKey: { challenge: 123 } }))],
    ['get: challenge missing', () => navigator.credentials.get(/** @type {any} */ ({ publicKey: { rpId: 'localhost' } }))],
    ['get: allowCredentials is a string', () => navigator.credentials.get(/** @type {any} */ ({ publicKey: { challenge, allowCredentials: 'x' } }))],
    ['get: allowCredentials[0].id missing', () => navigator.credentials.get(/** @type {any} */ ({ publicKey: { challenge, allowCredentials: [{ type: 'public-key' }] } }))],
  ];
  /** @type {string[]} */
  const problems = [];
  for (const [name, call] of cases) {
    /** @type {any} */
    let p;
    try {
      p = call();
    } catch (e) {
      problems.push(`${name}: threw synchronously (${/** @type {Error} */ (e)?.name})`);
      continue;
    }
    if (!(p instanceof Promise)) {
      problems.push(`${name}: did not return a Promise of the page's realm`);
      continue;
    }
    const outcome = await Promise.race([
      p.then(
        () => 'resolved',
        (/** @type {any} */ e) => (e instanceof TypeError ? 'TypeError' : `rejected with ${e?.name} (instanceof TypeError: ${e instanceof TypeError})`),
      ),
      new Promise((r) => setTimeout(() => r('still pending after 3 s'), 3000)),
    ]);
    if (outcome !== 'TypeError') problems.push(`${name}: ${outcome}`);
  }
  return problems;
}

/** Runs in the page: navigator.credentials.get({password: true}), raced with 5 s. */
export function passwordOnlyGetInPage() {
  return Promise.race([
    navigator.credentials
      .get(/** @type {any} */ ({ password: true }))
      .then(
        (v) => ({ value: v === null ? null : Object.prototype.toString.call(v) }),
        (e) => ({ error: e?.name }),
      ),
    new Promise((r) => setTimeout(() => r({ pending: true }), 5000)),
  ]);
}

/**
 * Runs in the page: `n` calls in a loop, alternately create and get, as fast as the page can
 * make them. window.__flood resolves with each outcome ('resolved' or "name: message");
 * window.__floodSettled counts those already settled.
 * @param {number} n
 */
export function floodInPage(n) {
  const w = /** @type {any} */ (window);
  w.__floodSettled = 0;
  /** @type {Promise<string>[]} */
  const calls = [];
  for (let i = 0; i < n; i++) {
    const challenge = crypto.getRandomValues(new Uint8Array(32));
    const call =
      i % 2 === 0
        ? navigator.credentials.create({
            publicKey: {
              challenge,
              rp: { name: 'Flood' },
              user: { id: crypto.getRandomValues(new Uint8Array(16)), name: `flood${i}`, displayName: 'Flood' },
              pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
            },
          })
        : navigator.credentials.get({ publicKey: { challenge, rpId: location.hostname } });
    calls.push(
      call.then(
        () => 'resolved',
        (e) => `${e?.name}: ${e?.message}`,
      ).finally(() => w.__floodSettled++),
    );
  }
  w.__flood = Promise.all(calls);
  return true;
}
