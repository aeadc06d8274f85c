// Installs Latchkey into the page's WebAuthn, once, synchronously, at document_start:
// navigator.credentials.create/get, the PublicKeyCredential prototypes, and
// PublicKeyCredential.getClientCapabilities().

import { type ClientCapabilities, mergeClientCapabilities } from './capabilities';
import { ceremonyOpener } from './ceremony';
import { installCredentials } from './credential';
import { withFallbackHints } from './fallback';
import { type LatchkeyCall, readCall } from './options';
import {
  $DOMException,
  $TypeError,
  apply,
  defineProperty,
  getOwnPropertyDescriptor,
  rejected,
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
  if (!window.isSecureContext || typeof PublicKeyCredential !== 'function' || !navigator.credentials) return;
  const container = navigator.credentials;
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
        return apply(native, container, [withFallbackHints(options, call.publicKey, response.hints)]);
      default: // 'error'
        throw response.name === 'TypeError'
          ? new $TypeError(response.message)
          : new $DOMException(response.message, response.name);
    }
  }

  for (const kind of ['create', 'get'] as const) {
    replaceMethod(CredentialsContainer.prototype, kind, (native) => ({
      [kind](this: unknown, ...args: unknown[]) {
        // Another container (or none) is not ours to serve: the original decides.
        if (this !== container) return apply(native, this, args);
        let call: LatchkeyCall | undefined;
        try {
          call = readCall(kind, args[0]);
        } catch (error) {
          return rejected(error); // WebIDL: a promise-returning operation never throws
        }
        return call ? serve(native, args[0], call) : apply(native, this, args);
      },
    })[kind]!);
  }

  // isUserVerifyingPlatformAuthenticatorAvailable() and isConditionalMediationAvailable()
  // stay the browser's: Latchkey has no PIN yet, so a ceremony that requires user
  // verification goes to the browser, and conditional gets go to the browser untouched.
  replaceMethod($PublicKeyCredential, 'getClientCapabilities', (native) => ({
    async getClientCapabilities() {
      return mergeClientCapabilities((await apply(native, $PublicKeyCredential, [])) as ClientCapabilities);
    },
  }).getClientCapabilities);
}
