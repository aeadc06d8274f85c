// Installs Latchkey into the page's WebAuthn, once, synchronously, at document_start:
// navigator.credentials.create/get, the PublicKeyCredential prototypes and statics; and into
// each new same-origin realm the page reaches before that realm's own scripts run.

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
  $WeakMap,
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

/** A window's interfaces Latchkey patches: this one's, or a same-origin one it adopted. */
type Realm = Window & typeof globalThis;

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
  const openCeremony = ceremonyOpener(window);
  // The same-origin realms this window reached before their own scripts could run (a new
  // iframe's, a window.open window's): each one's CredentialsContainer.prototype, and its
  // container, which Latchkey serves from this window.
  const adopted = new $WeakMap<object, number>();
  const isAdopted = uncurry(adopted.has as (this: WeakMap<object, number>, key: unknown) => boolean);
  const adopt = uncurry(adopted.set as (this: WeakMap<object, number>, key: object, value: number) => unknown);

  /** An 'error' answer: any but a TypeError comes as a DOMException of this realm (PageResponse). */
  function failure(response: PageResponse): unknown {
    const error = response as Extract<PageResponse, { type: 'error' }>;
    return error.name === 'TypeError' ? new $TypeError(error.message) : error.exception;
  }

  /**
   * A window the page reached: when it is same-origin and not yet adopted, it gets Latchkey's
   * members too, before the page holds it. A cross-origin one throws, and has its own scripts.
   */
  const reach = (other: unknown) => {
    try {
      const realm = other as Realm;
      const proto = realm.CredentialsContainer.prototype;
      if (isAdopted(adopted, proto)) return;
      adopt(adopted, proto, 1);
      adopt(adopted, realm.navigator.credentials, 1);
      install(realm);
    } catch {
      // Cross-origin, closed, or no window (window.open blocked).
    }
  };

  function install(realm: Realm): void {
    const $PublicKeyCredential = realm.PublicKeyCredential;
    const buildCredential = installCredentials(realm);

    async function serve(native: NativeFunction, self: unknown, options: unknown, call: LatchkeyCall): Promise<unknown> {
      const response = await openCeremony(call.request, call.signal);
      switch (response.type) {
        case 'created':
        case 'asserted':
          return buildCredential(response.credential, response.type);
        case 'fallback':
          // docs/architecture.md#a-ceremony-end-to-end step 6: the browser's own dialog, with the page's own options.
          return apply(native, self, [withFallback(options, call.publicKey, response)]);
        case 'error':
          throw failure(response);
      }
    }

    // Index loops here and below: in a realm adopted late the page may own the array iterator.
    const kinds = ['create', 'get'] as const;
    for (let i = 0; i < 2; i++) {
      const kind = kinds[i]!;
      replaceMethod(realm.CredentialsContainer.prototype, kind, (native) => ({
        // async: WebIDL's promise-returning operations never throw, they reject (a TypeError
        // from readCall included).
        async [kind](this: unknown, ...args: unknown[]) {
          // A container Latchkey does not know (or no container) is not its to serve: the
          // original decides.
          const call = this === ours() || isAdopted(adopted, this) ? readCall(kind, args[0]) : undefined;
          return call ? serve(native, this, args[0], call) : apply(native, this, args);
        },
      })[kind]!);
    }

    // L3 §5.1.10 the Signal API. The worker answers from the options and the caller's origin
    // alone, never the vault, and applies the signal after; the browser's own method, where there
    // is one, hears it too, so the user's other passkey stores stay in step, and its answer is
    // not the page's. On a site on the "never" list the browser's method answers.
    const then = uncurry($Promise.prototype.then);
    const methods = keys(SIGNAL_MEMBERS) as SignalMethod[];
    for (let i = 0; i < methods.length; i++) {
      const method = methods[i]!;
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
    // Latchkey verifies the user with its PIN, and owns the username field's autofill (its frame
    // also offers another device), so the other two answer true.
    const statics = ['getClientCapabilities', 'isUserVerifyingPlatformAuthenticatorAvailable', 'isConditionalMediationAvailable'];
    for (let i = 0; i < 3; i++) {
      const name = statics[i]!;
      replaceMethod($PublicKeyCredential, name, (native) => ({
        async [name]() {
          // On a site on the "never" list the service worker says so, and the browser answers.
          const site = await openCeremony({ type: 'statics' }, undefined);
          const answer = name[0] === 'g' || site.type === 'fallback' ? await apply(native, $PublicKeyCredential, []) : true;
          return name[0] === 'g' && site.type !== 'fallback' ? mergeClientCapabilities(answer as ClientCapabilities) : answer;
        },
      })[name]!);
    }

    // A new same-origin iframe's or window's realm gets Latchkey's members when the page first
    // reaches it, through the frame's contentWindow or contentDocument or window.open's answer:
    // a srcdoc frame, or a window opened on a URL, is about:blank until it loads, and its own
    // scripts run only then.
    const frame = realm.HTMLIFrameElement.prototype;
    const members = ['contentWindow', 'contentDocument'];
    const contentWindow = getter<unknown, Window | null>(frame, members[0]!);
    const contentDocument = getter<unknown, Document | null>(frame, members[1]!);
    for (let i = 0; i < 2; i++) {
      const name = members[i]!;
      const own: (frame: unknown) => unknown = i ? contentDocument : contentWindow;
      const other: (frame: unknown) => unknown = i ? contentWindow : contentDocument;
      const { get } = getOwnPropertyDescriptor(
        {
          // Pages read contentWindow often (to post to a frame): each read asks the browser
          // once for the answer and once for the other member, not three times.
          get [name]() {
            const value = own(this);
            // Cross-origin, there is no contentDocument, and nothing to adopt.
            if (i ? value : other(this)) reach(i ? other(this) : value);
            return value;
          },
        },
        name,
      )!;
      defineProperty(frame, name, { __proto__: null, get } as PropertyDescriptor);
    }
    replaceMethod(realm, 'open', (native) => ({
      open(this: unknown, ...args: unknown[]) {
        const opened = apply(native, this, args);
        reach(opened);
        return opened;
      },
    }).open);
  }

  install(window as Realm);
}
