// Shared test data for the service worker's session tests.
import type { CredentialRecord } from '../../../src/authenticator/ports';
import type { RuntimePort } from '../../../src/background/runtime-port';

/** A stored passkey at example.com whose id bytes are all `id`. */
export function record(id: number, userName: string): CredentialRecord {
  return {
    credentialId: new Uint8Array(16).fill(id),
    rpId: 'example.com',
    rpName: 'Example',
    userHandle: new Uint8Array([id]),
    userName,
    userDisplayName: userName.toUpperCase(),
    friendlyName: `${userName} on example.com`,
    alg: -7,
    publicKey: new Uint8Array([1, 2, 3]),
    discoverable: true,
    backupState: false,
    createdAt: 1000 + id,
    lastUsedAt: null,
  };
}

export const rp = { id: 'example.com', name: 'Example' };

/** Lets pending promise callbacks and timers of 0 ms run. */
export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A runtime port from `sender`: what the worker posted on it, and the other end's send and close. */
export class FakePort implements RuntimePort {
  readonly posted: unknown[] = [];
  readonly #onMessage: ((message: unknown) => void)[] = [];
  readonly #onDisconnect: (() => void)[] = [];
  constructor(readonly name: string, readonly sender: RuntimePort['sender']) {}
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  disconnect() {}
  onMessage = { addListener: (listener: (message: unknown) => void) => void this.#onMessage.push(listener) };
  onDisconnect = { addListener: (listener: () => void) => void this.#onDisconnect.push(listener) };
  /** The other end sends. */
  send(message: unknown) {
    this.#onMessage.forEach((listener) => listener(message));
  }
  /** The other end goes away (the page aborted, the window closed). */
  close() {
    this.#onDisconnect.forEach((listener) => listener());
  }
}
