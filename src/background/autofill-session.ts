// The UserInterface port (src/authenticator/ports.ts) for a conditional get that Latchkey owns
// (DESIGN.md "When Latchkey falls back": with discoverable passkeys for the RP ID, Latchkey
// owns the autofill). The authenticator reaches chooseCredential only when it has candidates;
// then the relay is told to show the suggestion frame under the username field, the frame
// (an extension page) shows the accounts, and the user's click there is the consent. When the
// ceremony needs user verification, or the vault is locked, the prompt window asks for the
// PIN for the one chosen passkey. "Use another device" hands the ceremony to the browser's
// modal get. Nothing here runs a timer: a conditional get waits until the user acts or the
// page aborts (L3 §5.1.4.1 step 4).

import type { UserDeclined, UserInterface } from '../authenticator/ports';
import { fromBase64url } from '../protocol/base64url';
import { AUTOFILL_MAX_ROWS, type AutofillShow } from '../protocol/autofill';
import { bytesEqual } from '../crypto/bytes';
import { accountSummary } from './prompt-session';

/** The suggestion frame's end of its runtime port. */
export interface AutofillFrame {
  post(message: AutofillShow): void;
}

/** What the user did in the suggestion frame. */
export type AutofillPick = { kind: 'passkey'; credentialId: string } | { kind: 'other' } | { kind: 'cancel' };

export interface AutofillDeps {
  /**
   * The consent prompt, for user verification or unlocking after a pick; `dismiss` closes its
   * window and leaves it able to open again (PromptSession).
   */
  prompt: UserInterface & { dismiss?(): Promise<void> };
  caller: { origin: string; topOrigin?: string };
  /** Tells the relay to show the frame with room for `rows` entries, or to hide it (0). */
  showFrame(rows: number): void;
  /** "Use another device or a browser passkey": the browser's modal get takes over. */
  useAnotherDevice(): void;
  /** Whether the vault is unlocked now; absent when there is no lock. */
  isUnlocked?(): Promise<boolean>;
}

const CANCEL: UserDeclined = { kind: 'cancel' };

export class AutofillSession implements UserInterface {
  private frame: AutofillFrame | undefined;
  private offer: { show: AutofillShow; resolve: (pick: AutofillPick) => void } | undefined;
  private closed = false;

  constructor(private readonly deps: AutofillDeps) {}

  /** Only a get reaches the autofill; a create or an exclusion would be the prompt's. */
  confirmCreate(request: Parameters<UserInterface['confirmCreate']>[0]) {
    return this.deps.prompt.confirmCreate(request);
  }

  acknowledgeExcluded(request: Parameters<UserInterface['acknowledgeExcluded']>[0]) {
    return this.deps.prompt.acknowledgeExcluded(request);
  }

  async chooseCredential(request: Parameters<UserInterface['chooseCredential']>[0]) {
    const accounts = request.candidates.map(accountSummary);
    const site = { rpId: request.rp.id, rpName: request.rp.name, ...this.deps.caller };
    for (;;) {
      const pick = await this.ask({ type: 'show', site, accounts }, Math.min(accounts.length, AUTOFILL_MAX_ROWS) + 1);
      // One pick at a time: the frame goes away whatever the user chose.
      this.deps.showFrame(0);
      this.frame?.post({ type: 'close' });
      if (pick.kind === 'other') {
        this.deps.useAnotherDevice();
        return CANCEL;
      }
      if (pick.kind !== 'passkey') return CANCEL;
      const id = fromBase64url(pick.credentialId);
      const chosen = id && request.candidates.find((candidate) => bytesEqual(candidate.credentialId, id));
      if (!chosen) return CANCEL;
      // L3 §6.3.3 step 7: the click in Latchkey's own frame is the user's consent and presence.
      // User verification, and a locked vault, need the PIN: the prompt asks for it, for this
      // one passkey.
      const unlocked = this.deps.isUnlocked ? await this.deps.isUnlocked() : true;
      if (!request.userVerification && unlocked) {
        return { kind: 'approve' as const, credentialId: chosen.credentialId, userVerified: false };
      }
      const answer = await this.deps.prompt.chooseCredential({ ...request, candidates: [chosen] });
      if (answer.kind !== 'cancel' || this.closed || !this.deps.prompt.dismiss) return answer;
      // The user cancelled the PIN prompt (or closed it): that declines this pick, not the
      // sign-in. A conditional get waits until the user picks or the page aborts (L3 §5.1.4.1
      // step 4), so the prompt goes and the passkeys are offered under the field again.
      await this.deps.prompt.dismiss();
    }
  }

  /** The suggestion frame connected (each focus of the field makes a new one). */
  attachFrame(frame: AutofillFrame): void {
    if (this.closed) {
      frame.post({ type: 'close' });
      return;
    }
    this.frame = frame;
    if (this.offer) frame.post(this.offer.show);
  }

  detachFrame(frame: AutofillFrame): void {
    if (this.frame === frame) this.frame = undefined;
  }

  /** The user picked in the frame `from`; only the frame on screen is listened to. */
  pick(from: AutofillFrame, pick: AutofillPick): void {
    if (from !== this.frame) return;
    this.settle(pick);
  }

  /** The ceremony ended (answered, aborted, the page went away). Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.settle({ kind: 'cancel' });
    this.frame?.post({ type: 'close' });
    this.frame = undefined;
  }

  private settle(pick: AutofillPick): void {
    const offer = this.offer;
    this.offer = undefined;
    offer?.resolve(pick);
  }

  private ask(show: AutofillShow, rows: number): Promise<AutofillPick> {
    if (this.closed) return Promise.resolve({ kind: 'cancel' });
    const pick = new Promise<AutofillPick>((resolve) => {
      this.offer = { show, resolve };
    });
    this.frame?.post(show);
    this.deps.showFrame(rows);
    return pick;
  }
}
