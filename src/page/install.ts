// Installs Latchkey into the page's WebAuthn, once, synchronously, at document_start:
// navigator.credentials.create/get, the PublicKeyCredential prototypes, and
// PublicKeyCredential.getClientCapabilities().

import { type ClientCapabilities, mergeClientCapabilities } from './capabilities';
import { ceremonyOpener } from './ceremony';
import { installCredentials } from './credential';
import { withFallback } from './fallback';
import { type LatchkeyCall, readCall } from './options';
import { readSignal } from './signals';
import { SIGNAL_MEMBERS, type PageResponse, type SignalMethod } from '../protocol/messages';
import {
  $Promise,
  $TypeError,
  apply,
  defineProperty,
  getOwnPropertyDescriptor,
  getter,
  keys,
  uncurry,
} from './realm';

type NativeFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Defines `object[name]` with the original's flags and a method of the same name and length 0. */
function replaceMethod(object: object, name: string, method: (native: NativeFunction) => NativeFunction): void {
  const descriptor = getOwnPropertyDescriptor(object, name);
  if (typeof descriptor?.value !== 'function') return;
  descriptor.value = method(descriptor.value as NativeFunction);
  defineProperty(object, name, descriptor);
}

export function installLatchkey(): void {
  // WebAuthn exists only in secure contexts; elsewhere the browser answers, as it would.
  // (Where PublicKeyCredential exists, so does navigator.credentials.)
  if (!window.isSecureContext || typeof PublicKeyCredential !== 'function') return;
  // The page's own container is found at the first call, not here: reading `navigator` makes
  // Chromium build the Navigator interface, 130-170 µs, a third of this install. Its getter on
  // the window is taken now, so a page that redefines window.navigator cannot change which
  // navigator that is.
  const navigatorOf = getter<Window, Navigator>(window, 'navigator');
  let container: CredentialsContainer | undefined;
  const ours = () => (container ??= navigatorOf(window).credentials);
  const $PublicKeyCredential = PublicKeyCredential;
  const openCeremony = ceremonyOpener(window);
  const buildCredential = installCredentials(window);

  async function serve(native: NativeFunction, options: unknown, call: LatchkeyCall): Promise<unknown> {
    const response = await openCeremony(call.request, call.signal);
    switch (response.type) {
      case 'created':
      case 'asserted':
        return buildCredential(response.credential, response.type);
      case 'fallback':
        // DESIGN.md step 6: the browser's own dialog, with the page's own options.
        return apply(native, ours(), [withFallback(options, call.publicKey, response)]);
      case 'error':
        throw failure(response);
    }
  }

  /** An 'error' answer: any but a TypeError comes as a DOMException of this realm (PageResponse). */
  function failure(response: PageResponse): unknown {
    const error = response as Extract<PageResponse, { type: 'error' }>;
    return error.name === 'TypeError' ? new $TypeError(error.message) : error.exception;
  }

  for (const kind of ['create', 'get'] as const) {
    replaceMethod(CredentialsContainer.prototype, kind, (native) => ({
      // async: WebIDL's promise-returning operations never throw, they reject (a TypeError
      // from readCall included).
      async [kind](this: unknown, ...args: unknown[]) {
        // Another container (or none) is not ours to serve: the original decides.
        const call = this === ours() ? readCall(kind, args[0]) : undefined;
        return call ? serve(native, args[0], call) : apply(native, this, args);
      },
    })[kind]!);
  }

  // L3 §5.1.10 the Signal API. The worker answers from the options and the caller's origin
  // alone, never the vault, and applies the signal after; the browser's own method, where there
  // is one, hears it too, so the user's other passkey stores stay in step, and its answer is
  // not the page's. On a site on the "never" list the browser's method answers.
  const then = uncurry($Promise.prototype.then);
  for (const method of keys(SIGNAL_MEMBERS) as SignalMethod[]) {
    const descriptor = getOwnPropertyDescriptor($PublicKeyCredential, method) ?? { configurable: true, enumerable: true, writable: true };
    const native = descriptor.value as NativeFunction | undefined;
    descriptor.value = {
      async [method](options: unknown) {
        const request = readSignal(method, options);
        const response = await openCeremony(request, undefined);
        const passOn = () => native && (apply(native, $PublicKeyCredential, [request.options]) as Promise<unknown>);
        if (response.type === 'fallback') return passOn();
        if (response.type !== 'signaled') throw failure(response);
        const browser = passOn();
        if (browser) then(browser, undefined, () => undefined);
      },
    }[method];
    defineProperty($PublicKeyCredential, method, descriptor);
  }

  // getClientCapabilities() merges the browser's answer with Latchkey's (./capabilities.ts).
  // Latchkey verifies the user with its PIN, and offers its passkeys in the username field's
  // autofill (or leaves the autofill to the browser when it holds none for the site), so the
  // other two answer true.
  for (const name of ['getClientCapabilities', 'isUserVerifyingPlatformAuthenticatorAvailable', 'isConditionalMediationAvailable']) {
    replaceMethod($PublicKeyCredential, name, (native) => ({
      async [name]() {
        // On a site on the "never" list the service worker says so, and the browser answers.
        const site = await openCeremony({ type: 'statics' }, undefined);
        const answer = name[0] === 'g' || site.type === 'fallback' ? await apply(native, $PublicKeyCredential, []) : true;
        return name[0] === 'g' && site.type !== 'fallback' ? mergeClientCapabilities(answer as ClientCapabilities) : answer;
      },
    })[name]!);
  }
}
