// Messages between Latchkey's own pages (popup, prompt) and the service worker about the
// vault lock (docs/security.md#key-hierarchy, #user-verification-and-the-lock), over runtime.sendMessage and the
// service worker's page router. Every request is validated here before anything trusts it.

import { invalid, object, refuse, run, string, type Validation } from './check';

/**
 * The chrome.storage.session key the service worker keeps the unlocked vault key under
 * (src/background/lock.ts): present exactly while the vault is unlocked. Latchkey's pages may
 * look for the key's name (storage.session.getKeys), never read its value.
 */
export const UNLOCKED_SESSION_KEY = 'latchkey.unlocked';

/** 'new': no PIN yet (set-up comes first); 'locked': PIN set, vault key not in memory. */
export type LockState = 'new' | 'locked' | 'unlocked';

export interface LockStatus {
  state: LockState;
  /** When a PIN may be tried again after wrong ones (ms since the epoch); null: now. */
  retryAt: number | null;
  /** Wrong PINs in a row. */
  failures: number;
  /** Passkeys already in the vault that set-up keeps (a vault made before the lock existed). */
  passkeysKept: number;
  /** Minutes without use by the user before the vault locks itself. */
  autoLockMinutes: number;
}

export type LockRequest =
  | { type: 'lock:status' }
  | { type: 'lock:set-up'; pin: string }
  | { type: 'lock:unlock'; pin: string }
  | { type: 'lock:lock' }
  | { type: 'lock:change-pin'; currentPin: string; newPin: string }
  | { type: 'lock:reset'; confirmation: string };

export type LockProblem = 'wrong-pin' | 'wait' | 'weak-pin' | 'already-set-up' | 'not-set-up' | 'confirmation' | 'failed';

export type LockReply =
  | { ok: true; status: LockStatus }
  /** `message` is a sentence for the user. */
  | { ok: false; problem: LockProblem; message: string; status: LockStatus };

/** What the user types to confirm "Reset vault". */
export const RESET_CONFIRMATION = 'RESET';

/** docs/security.md#key-hierarchy: any PIN or passphrase of 6 or more characters. */
export const MIN_PIN_LENGTH = 6;

/** A human sentence when `pin` is too weak to set, else undefined. */
export function pinProblem(pin: string): string | undefined {
  if ([...pin.normalize('NFC')].length < MIN_PIN_LENGTH) return `Use at least ${MIN_PIN_LENGTH} characters.`;
  return undefined;
}

/** The longest PIN or passphrase accepted, so that no message makes the KDF hash megabytes. */
const MAX_PIN_LENGTH = 1024;

function pin(x: unknown, path: string): string {
  if (typeof x !== 'string' || x.length > MAX_PIN_LENGTH) invalid(path, `a string of at most ${MAX_PIN_LENGTH} characters`);
  return x;
}

/** The request, rebuilt with its known members only. */
export function validateLockRequest(x: unknown): Validation<LockRequest> {
  return run(() => lockRequest(x));
}

function lockRequest(x: unknown): LockRequest {
  const o = object(x, 'message');
  switch (o.type) {
    case 'lock:status':
    case 'lock:lock':
      return { type: o.type };
    case 'lock:set-up':
    case 'lock:unlock':
      return { type: o.type, pin: pin(o.pin, 'pin') };
    case 'lock:change-pin':
      return { type: o.type, currentPin: pin(o.currentPin, 'currentPin'), newPin: pin(o.newPin, 'newPin') };
    case 'lock:reset':
      return { type: o.type, confirmation: string(o.confirmation, 'confirmation') };
    default:
      refuse(`type: unknown lock message ${JSON.stringify(o.type)}`);
  }
}

/** Whether `x` claims to be a lock message (its type starts with 'lock:'), valid or not. */
export function isLockMessage(x: unknown): boolean {
  return typeof x === 'object' && x !== null && typeof (x as { type?: unknown }).type === 'string'
    && (x as { type: string }).type.startsWith('lock:');
}

/** "in 8 seconds", "in 2 minutes", "in 1 hour": how long until `retryAt`, for a sentence. */
export function waitText(retryAt: number, now: number): string {
  const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
  if (seconds < 60) return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.ceil(minutes / 60);
  return `in ${hours} hour${hours === 1 ? '' : 's'}`;
}
