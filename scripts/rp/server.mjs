// @ts-check
// The bundled demo relying party: a tiny WebAuthn site verified by @simplewebauthn/server.
//
//   const rp = await startRelyingParty();          // port 0: any free port
//   // browse to rp.url (http://localhost:PORT/) — localhost is a secure context
//   rp.users.get('alice')?.credentials             // in-memory state, for assertions
//   await rp.close();
//
// Endpoints (JSON in, JSON out; errors answer HTTP 400 with {verified:false, error}):
//   POST /register/options {username, displayName?, attestation?, userVerification?, residentKey?,
//                           authenticatorAttachment?, excludeCredentials?: bool, rpID?, hints?,
//                           algorithms?: number[], extensions?, timeout?}
//   POST /register/verify   body: the credential's toJSON()  (or {credential, ...})
//   POST /login/options    {username?, userVerification?, rpID?, hints?, extensions?, timeout?}
//   POST /login/verify      body: the credential's toJSON()
//   The Signal API (L3 §5.1.10): what a site hands its page to pass to the PublicKeyCredential
//   signal methods, as @simplewebauthn/browser's helpers expect them:
//   POST /signal/unknown   {credentialId}  -> {rpId, credentialId} when the site holds no such
//                          credential, else {}   (for signalUnknownCredential)
//   POST /signal/accepted  {username}      -> {rpId, userId, allAcceptedCredentialIds}
//   POST /signal/details   {username}      -> {rpId, userId, name, displayName}
//   POST /register/options also takes {dropVerify: true}: its verify answers an error and keeps
//                          nothing, as when a save never reaches the site
//   GET  /          demo page (window.demo.register / window.demo.signIn)
//   GET  /plain     an empty page for API-level tests
//   GET  /state     users and credentials as JSON (debugging)
//   GET  /.well-known/webauthn   {origins: [...]} when `relatedOrigins` is given (L3 §5.11),
//                   served as application/json without CORS headers, as RPs do
//   GET  /.well-known/passkey-endpoints   {enroll?, manage?} once `passkeyEndpoints` is given
//                   or set with rp.setPasskeyEndpoints() (404 until then)
// Over https (`https: {key, cert}`, see ./cert.mjs) the server can stand for several host
// names mapped to 127.0.0.1; `origins` lists the page origins it accepts in clientDataJSON, and
// `topOrigins` the top-level origins of a cross-origin frame it accepts a sign-in from.
// Run directly: `node scripts/rp/server.mjs [port]`.

import http from 'node:http';
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { decodeAttestationObject, decodeClientDataJSON, isoBase64URL, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import { DEMO_PAGE, PLAIN_PAGE } from './page.mjs';

/**
 * @typedef {object} StoredCredential
 * @property {string} id            base64url credential id
 * @property {Uint8Array} publicKey COSE public key
 * @property {number} counter
 * @property {string[]} transports
 * @property {string} fmt
 * @property {string} aaguid
 * @property {string} rpID
 * @property {number} createdAt
 */

/**
 * @typedef {object} User
 * @property {string} username
 * @property {string} displayName
 * @property {string} id            base64url user handle (16 random bytes)
 * @property {StoredCredential[]} credentials
 */

/**
 * @typedef {object} Pending
 * @property {'create'|'get'} type
 * @property {string} challenge
 * @property {string} rpID
 * @property {string|undefined} username
 * @property {'required'|'preferred'|'discouraged'} userVerification
 * @property {number[]} [algorithms]
 * @property {boolean} [dropVerify]  the verify is lost: nothing is stored
 */

/** @typedef {{ UP: boolean, UV: boolean, BE: boolean, BS: boolean, AT: boolean, ED: boolean, value: number }} Flags */

const DEFAULT_ALGORITHMS = [-7, -8, -257]; // ES256 first, as most sites list it

/** @param {ReturnType<typeof parseAuthenticatorData>['flags']} f @returns {Flags} */
function flagsOf(f) {
  return { UP: f.up, UV: f.uv, BE: f.be, BS: f.bs, AT: f.at, ED: f.ed, value: f.flagsInt };
}

class HttpError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** @param {http.IncomingMessage} req @returns {Promise<any>} */
async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > 1_000_000) throw new HttpError(413, 'body too large');
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

/** @param {unknown} v @param {string} name @returns {string|undefined} */
function optString(v, name) {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new HttpError(400, `${name} must be a string`);
  return v;
}

/**
 * @param {{ port?: number, rpID?: string, rpName?: string, userVerification?: 'required'|'preferred'|'discouraged', host?: string,
 *           log?: (line: string) => void, https?: { key: string, cert: string }, origins?: string[], relatedOrigins?: string[],
 *           topOrigins?: string[], passkeyEndpoints?: { enroll?: string, manage?: string } }} [opts]
 */
export async function startRelyingParty({
  port = 0,
  rpID = 'localhost',
  rpName = 'Latchkey Demo',
  userVerification = 'preferred',
  host = '127.0.0.1',
  log = () => {},
  https: tls,
  origins,
  relatedOrigins,
  topOrigins,
  passkeyEndpoints,
} = {}) {
  /** @type {Map<string, User>} */
  const users = new Map();
  /** @type {Map<string, Pending>} challenge -> ceremony awaiting its verify */
  const pending = new Map();
  /** @type {string | string[]} the origins clientDataJSON may carry */
  let origin = '';

  /** @param {string} credentialId */
  function findCredential(credentialId) {
    for (const user of users.values()) {
      const cred = user.credentials.find((c) => c.id === credentialId);
      if (cred) return { user, cred };
    }
    return undefined;
  }

  /** @param {any} body */
  async function registerOptions(body) {
    const username = optString(body.username, 'username');
    if (!username) throw new HttpError(400, 'username is required');
    let user = users.get(username);
    if (!user) {
      user = {
        username,
        displayName: optString(body.displayName, 'displayName') ?? username,
        id: isoBase64URL.fromBuffer(randomBytes(16)),
        credentials: [],
      };
      users.set(username, user);
    }
    const uv = body.userVerification ?? userVerification;
    const algorithms = Array.isArray(body.algorithms) ? body.algorithms : DEFAULT_ALGORITHMS;
    const ceremonyRpID = optString(body.rpID, 'rpID') ?? rpID;
    /** @type {any} */
    const authenticatorSelection = {
      residentKey: body.residentKey ?? 'preferred',
      userVerification: uv,
    };
    if (body.authenticatorAttachment) authenticatorSelection.authenticatorAttachment = body.authenticatorAttachment;
    const options = await generateRegistrationOptions({
      rpName,
      rpID: ceremonyRpID,
      userName: user.username,
      userDisplayName: user.displayName,
      userID: isoBase64URL.toBuffer(user.id),
      attestationType: body.attestation ?? 'none',
      excludeCredentials: body.excludeCredentials
        ? user.credentials.map((c) => ({ id: c.id, transports: /** @type {any} */ (c.transports) }))
        : [],
      authenticatorSelection,
      supportedAlgorithmIDs: algorithms,
      ...(body.extensions ? { extensions: body.extensions } : {}),
      ...(typeof body.timeout === 'number' ? { timeout: body.timeout } : {}),
    });
    if (Array.isArray(body.hints)) /** @type {any} */ (options).hints = body.hints;
    pending.set(options.challenge, { type: 'create', challenge: options.challenge, rpID: ceremonyRpID, username, userVerification: uv, algorithms, dropVerify: body.dropVerify === true });
    return options;
  }

  /** @param {any} body */
  async function registerVerify(body) {
    const response = body && body.credential ? body.credential : body;
    const p = takePending(response, 'create');
    if (p.dropVerify) return { verified: false, error: 'the registration never reached the site' };
    const user = p.username ? users.get(p.username) : undefined;
    if (!user) throw new HttpError(400, 'unknown user for this challenge');

    const verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: p.challenge,
      expectedOrigin: origin,
      expectedRPID: p.rpID,
      requireUserVerification: p.userVerification === 'required',
      supportedAlgorithmIDs: p.algorithms,
    });
    if (!verification.verified) return { verified: false, error: 'registration did not verify' };
    const info = verification.registrationInfo;
    const attestation = decodeAttestationObject(isoBase64URL.toBuffer(response.response.attestationObject));
    const authData = parseAuthenticatorData(attestation.get('authData'));
    const transports = Array.isArray(response.response?.transports) ? response.response.transports : [];
    /** @type {StoredCredential} */
    const cred = {
      id: info.credential.id,
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
      transports,
      fmt: info.fmt,
      aaguid: info.aaguid,
      rpID: p.rpID,
      createdAt: Date.now(),
    };
    user.credentials.push(cred);
    log(`registered ${user.username}: ${cred.id} (fmt ${cred.fmt}, aaguid ${cred.aaguid})`);
    return {
      verified: true,
      username: user.username,
      userID: user.id,
      credentialID: cred.id,
      fmt: info.fmt,
      aaguid: info.aaguid,
      flags: flagsOf(authData.flags),
      counter: info.credential.counter,
      userVerified: info.userVerified,
      credentialDeviceType: info.credentialDeviceType,
      credentialBackedUp: info.credentialBackedUp,
      transports,
      publicKeyAlgorithm: response.response?.publicKeyAlgorithm,
      authenticatorAttachment: response.authenticatorAttachment ?? null,
      clientExtensionResults: response.clientExtensionResults ?? {},
      origin: info.origin,
      ...framing(response),
      rpID: info.rpID ?? p.rpID,
      credentialCount: user.credentials.length,
    };
  }

  /** @param {any} body */
  async function loginOptions(body) {
    const username = optString(body.username, 'username');
    const uv = body.userVerification ?? userVerification;
    const ceremonyRpID = optString(body.rpID, 'rpID') ?? rpID;
    /** @type {{id: string, transports?: any}[] | undefined} */
    let allowCredentials;
    if (username) {
      const user = users.get(username);
      if (!user || user.credentials.length === 0) throw new HttpError(404, `no passkey registered for ${username}`);
      allowCredentials = user.credentials.map((c) => ({ id: c.id, transports: /** @type {any} */ (c.transports) }));
    }
    const options = await generateAuthenticationOptions({
      rpID: ceremonyRpID,
      userVerification: uv,
      ...(allowCredentials ? { allowCredentials } : {}),
      ...(body.extensions ? { extensions: body.extensions } : {}),
      ...(typeof body.timeout === 'number' ? { timeout: body.timeout } : {}),
    });
    if (Array.isArray(body.hints)) /** @type {any} */ (options).hints = body.hints;
    pending.set(options.challenge, { type: 'get', challenge: options.challenge, rpID: ceremonyRpID, username, userVerification: uv });
    return options;
  }

  /** @param {any} body */
  async function loginVerify(body) {
    const response = body && body.credential ? body.credential : body;
    const p = takePending(response, 'get');
    const id = optString(response.id, 'id');
    const found = id ? findCredential(id) : undefined;
    if (!found) return { verified: false, error: 'unknown credential', credentialID: id ?? null };
    const { user, cred } = found;
    const userHandle = response.response?.userHandle ?? null;
    const userHandleMatches = userHandle ? userHandle === user.id : null;
    if (p.username && p.username !== user.username) {
      return { verified: false, error: `credential belongs to ${user.username}, not ${p.username}`, username: user.username };
    }
    if (!p.username && !userHandle) {
      return { verified: false, error: 'discoverable sign-in without userHandle', username: user.username, userHandleMatches };
    }
    if (userHandle && !userHandleMatches) {
      return { verified: false, error: 'userHandle does not match the credential owner', username: user.username, userHandle, userHandleMatches };
    }
    const verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: p.challenge,
      expectedOrigin: origin,
      expectedRPID: p.rpID,
      ...(topOrigins ? { expectedTopOrigin: topOrigins } : {}),
      credential: { id: cred.id, publicKey: /** @type {any} */ (cred.publicKey), counter: cred.counter, transports: /** @type {any} */ (cred.transports) },
      requireUserVerification: p.userVerification === 'required',
    });
    const authData = parseAuthenticatorData(/** @type {any} */ (isoBase64URL.toBuffer(response.response.authenticatorData)));
    const previousCounter = cred.counter;
    if (verification.verified) cred.counter = verification.authenticationInfo.newCounter;
    log(`sign-in ${user.username}: ${verification.verified ? 'verified' : 'NOT verified'}`);
    return {
      verified: verification.verified,
      username: user.username,
      displayName: user.displayName,
      userID: user.id,
      credentialID: cred.id,
      userHandle,
      userHandleMatches,
      discoverable: !p.username,
      flags: flagsOf(authData.flags),
      previousCounter,
      counter: verification.authenticationInfo.newCounter,
      userVerified: verification.authenticationInfo.userVerified,
      credentialDeviceType: verification.authenticationInfo.credentialDeviceType,
      credentialBackedUp: verification.authenticationInfo.credentialBackedUp,
      authenticatorAttachment: response.authenticatorAttachment ?? null,
      clientExtensionResults: response.clientExtensionResults ?? {},
      origin: verification.authenticationInfo.origin,
      ...framing(response),
      rpID: verification.authenticationInfo.rpID,
    };
  }

  /**
   * Where the ceremony ran, from clientDataJSON (L3 §5.8.1): in a frame whose ancestors are not
   * all same-origin, crossOrigin is true and topOrigin names the top-level origin.
   * @param {any} response @returns {{ crossOrigin: boolean, topOrigin: string | null }}
   */
  function framing(response) {
    const data = /** @type {{ crossOrigin?: boolean, topOrigin?: string }} */ (decodeClientDataJSON(response.response.clientDataJSON));
    return { crossOrigin: data.crossOrigin === true, topOrigin: data.topOrigin ?? null };
  }

  /**
   * Finds (and consumes) the ceremony a response answers, by the challenge in its clientDataJSON.
   * @param {any} response @param {'create'|'get'} type @returns {Pending}
   */
  function takePending(response, type) {
    const cdj = response?.response?.clientDataJSON;
    if (typeof cdj !== 'string') throw new HttpError(400, 'response.clientDataJSON missing');
    let challenge;
    try {
      challenge = decodeClientDataJSON(cdj).challenge;
    } catch {
      throw new HttpError(400, 'clientDataJSON does not decode');
    }
    const p = pending.get(challenge);
    if (!p || p.type !== type) throw new HttpError(400, `no pending ${type} ceremony for this challenge`);
    pending.delete(challenge);
    return p;
  }

  /** @param {any} body */
  function userFor(body) {
    const username = optString(body.username, 'username');
    const user = username ? users.get(username) : undefined;
    if (!user) throw new HttpError(404, `no user ${username}`);
    return user;
  }

  /** L3 §5.1.10.1: the options for signalUnknownCredential, when this site holds no such credential. @param {any} body */
  async function signalUnknown(body) {
    const credentialId = optString(body.credentialId, 'credentialId');
    if (!credentialId) throw new HttpError(400, 'credentialId is required');
    return findCredential(credentialId) ? {} : { rpId: rpID, credentialId };
  }

  /** L3 §5.1.10.2: the options for signalAllAcceptedCredentials. @param {any} body */
  async function signalAccepted(body) {
    const user = userFor(body);
    return { rpId: rpID, userId: user.id, allAcceptedCredentialIds: user.credentials.map((c) => c.id) };
  }

  /** L3 §5.1.10.3: the options for signalCurrentUserDetails. @param {any} body */
  async function signalDetails(body) {
    const user = userFor(body);
    return { rpId: rpID, userId: user.id, name: user.username, displayName: user.displayName };
  }

  /**
   * Registers a passkey made outside any browser (tests of importing another manager's export):
   * { username, userID (base64url user handle), credentialID, publicKey (base64url COSE_Key),
   * counter }. The RP then checks its signatures and its counter like any other.
   * @param {any} body
   */
  async function registerKey(body) {
    const username = optString(body.username, 'username');
    const userID = optString(body.userID, 'userID');
    const id = optString(body.credentialID, 'credentialID');
    const publicKey = optString(body.publicKey, 'publicKey');
    if (!username || !userID || !id || !publicKey) throw new HttpError(400, 'username, userID, credentialID and publicKey are required');
    if (findCredential(id)) throw new HttpError(400, 'credential already registered');
    let user = users.get(username);
    if (!user) {
      user = { username, displayName: optString(body.displayName, 'displayName') ?? username, id: userID, credentials: [] };
      users.set(username, user);
    }
    if (user.id !== userID) throw new HttpError(400, `${username} has another user handle`);
    const counter = typeof body.counter === 'number' ? body.counter : 0;
    user.credentials.push({ id, publicKey: isoBase64URL.toBuffer(publicKey), counter, transports: [], fmt: 'none', aaguid: '00000000-0000-0000-0000-000000000000', rpID, createdAt: Date.now() });
    log(`registered ${username} by key: ${id} (counter ${counter})`);
    return { registered: true, username, credentialID: id, counter };
  }

  /** @type {Record<string, (body: any) => Promise<any>>} */
  const routes = {
    'POST /signal/unknown': signalUnknown,
    'POST /signal/accepted': signalAccepted,
    'POST /signal/details': signalDetails,
    'POST /register/key': registerKey,
    'POST /register/options': registerOptions,
    'POST /register/verify': registerVerify,
    'POST /login/options': loginOptions,
    'POST /login/verify': loginVerify,
  };

  /** @type {http.RequestListener} */
  const handle = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    /** @param {number} status @param {string} type @param {string} body */
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      if (req.method === 'GET' && url.pathname === '/') return send(200, 'text/html; charset=utf-8', DEMO_PAGE);
      if (req.method === 'GET' && url.pathname === '/plain') return send(200, 'text/html; charset=utf-8', PLAIN_PAGE);
      if (req.method === 'GET' && url.pathname.startsWith('/.well-known/')) {
        log(`GET ${url.pathname} from ${req.headers.origin ?? 'no Origin header'}`);
        const seen = { host: req.headers.host, origin: req.headers.origin, cookie: req.headers.cookie, referer: req.headers.referer };
        if (url.pathname === '/.well-known/webauthn' && relatedOrigins) {
          wellKnownRequests.push(seen);
          return send(200, 'application/json', JSON.stringify({ origins: relatedOrigins }));
        }
        if (url.pathname === '/.well-known/passkey-endpoints') {
          passkeyEndpointsRequests.push(seen);
          if (passkeyEndpoints) return send(200, 'application/json', JSON.stringify(passkeyEndpoints));
        }
      }
      if (req.method === 'GET' && url.pathname === '/state') {
        const state = [...users.values()].map((u) => ({
          ...u,
          credentials: u.credentials.map(({ publicKey: _pk, ...c }) => c),
        }));
        return send(200, 'application/json', JSON.stringify(state));
      }
      const route = routes[`${req.method} ${url.pathname}`];
      if (!route) return send(404, 'application/json', JSON.stringify({ verified: false, error: 'not found' }));
      const body = await readJson(req);
      const out = await route(body);
      send(200, 'application/json', JSON.stringify(out));
    } catch (e) {
      const err = /** @type {Error & {status?: number}} */ (e);
      const status = err.status ?? 400;
      log(`${req.method} ${url.pathname} -> ${status}: ${err.message}`);
      send(status, 'application/json', JSON.stringify({ verified: false, error: err.message }));
    }
  };
  /** @typedef {{ host?: string, origin?: string, cookie?: string, referer?: string }} WellKnownRequest */
  /** @type {WellKnownRequest[]} */
  const wellKnownRequests = [];
  /** @type {WellKnownRequest[]} */
  const passkeyEndpointsRequests = [];
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handle) : http.createServer(handle);

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const addr = server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : port;
  const own = `${tls ? 'https' : 'http'}://localhost:${actualPort}`;
  origin = origins ?? own;

  return {
    url: `${own}/`,
    origin: own,
    /** the requests for /.well-known/webauthn, with the headers that came with them */
    wellKnownRequests,
    /** the requests for /.well-known/passkey-endpoints, with the headers that came with them */
    passkeyEndpointsRequests,
    /** What /.well-known/passkey-endpoints answers from now on; undefined: 404. @param {{ enroll?: string, manage?: string } | undefined} doc */
    setPasskeyEndpoints: (doc) => {
      passkeyEndpoints = doc;
    },
    port: actualPort,
    rpID,
    users,
    /** @param {string} username */
    credentialsOf: (username) => users.get(username)?.credentials ?? [],
    /** The site forgets a credential (its account page's "remove passkey"). @param {string} credentialId */
    forgetCredential: (credentialId) => {
      const found = findCredential(credentialId);
      if (found) found.user.credentials = found.user.credentials.filter((c) => c !== found.cred);
      return found?.cred;
    },
    /** The site takes a credential back (undo). @param {string} username @param {StoredCredential} cred */
    restoreCredential: (username, cred) => void users.get(username)?.credentials.push(cred),
    /** The user changes their account's names at the site. @param {string} username @param {string} name @param {string} displayName */
    renameUser: (username, name, displayName) => {
      const user = users.get(username);
      if (!user) throw new Error(`no user ${username}`);
      users.delete(username);
      user.username = name;
      user.displayName = displayName;
      users.set(name, user);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve(undefined));
      }),
  };
}

/** @typedef {Awaited<ReturnType<typeof startRelyingParty>>} RelyingParty */

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rp = await startRelyingParty({ port: Number(process.argv[2] ?? 8765), log: (l) => console.log(l) });
  console.log(`Latchkey demo relying party at ${rp.url}`);
}
