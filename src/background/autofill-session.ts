// The UserInterface port (src/authenticator/ports.ts) for a conditional get that Latchkey owns
// (docs/architecture.md#when-latchkey-falls-back: Latchkey owns the autofill on every site not on the
// "never" list). The authenticator asks chooseCredential whatever the vault holds (possibly no
// candidates); the relay is then told to arm the suggestion frame, which it shows under the
// username field only after the user's trusted press or key there. The frame (an extension
// page) shows the accounts, and the user's click there is the consent. When the ceremony needs
// user verification, the vault is locked, or the frame could not prove itself visible, the
// prompt window asks about the one chosen passkey. "Use another device" hands the ceremony to
// the browser's modal get. Nothing here runs a timer: a conditional get waits until the user
// acts or the page aborts (L3 §5.1.4.1 step 4), and nothing the page sees depends on the vault
// before that (L3 §14.5.2).

import type { UserDeclined, UserInterface } from '../authenticator/ports';
import { fromBase64url } from '../protocol/base64url';
import type { AutofillShow, AutofillState } from '../protocol/autofill';
import { bytesEqual } from '../crypto/bytes';
import { accountSummary } from './prompt-session';

/** The suggestion frame's end of its runtime port. */
export interface AutofillFrame {
  post(message: AutofillShow): void;
}

/** What the user did in the suggestion frame. */
export type AutofillPick = { kind: 'passkey'; credentialId: string; seen: boolean } | { kind: 'another-device' } | { kind: 'cancel' };

export interface AutofillDeps {
  /**
   * The consent prompt, for user verification or unlocking after a pick; `dismiss` closes its
   * window and leaves it able to open again (PromptSession).
   */
  prompt: UserInterface & { dismiss?(): Promise<void> };
  caller: { origin: string; topOrigin?: string };
  /** Tells the relay what to do with the frame (src/protocol/autofill.ts AutofillState). */
  showFrame(state: AutofillState): void;
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
      const pick = await this.ask({ type: 'show', site, accounts });
      // One pick at a time: the frame goes away whatever the user chose.
      this.deps.showFrame('off');
      this.frame?.post({ type: 'close' });
      if (pick.kind === 'another-device') {
        this.deps.useAnotherDevice();
        return CANCEL;
      }
      if (pick.kind !== 'passkey') return CANCEL;
      const id = fromBase64url(pick.credentialId);
      const chosen = id && request.candidates.find((candidate) => bytesEqual(candidate.credentialId, id));
      if (!chosen) return CANCEL;
      // L3 §6.3.3 step 7: the click in Latchkey's own frame, seen visible and still, is the
      // user's consent and presence. User verification and a locked vault need the PIN, and a
      // pick the frame could not prove visible (Firefox) needs a confirmation: the prompt asks,
      // for this one passkey.
      const unlocked = this.deps.isUnlocked ? await this.deps.isUnlocked() : true;
      if (!request.userVerification && unlocked && pick.seen) {
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

  /** A press in the frame `from` outside any entry: the frame goes until the next press in the field. */
  dismiss(from: AutofillFrame): void {
    if (from === this.frame && this.offer) this.deps.showFrame('hidden');
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

  private ask(show: AutofillShow): Promise<AutofillPick> {
    if (this.closed) return Promise.resolve({ kind: 'cancel' });
    const pick = new Promise<AutofillPick>((resolve) => {
      this.offer = { show, resolve };
    });
    this.frame?.post(show);
    this.deps.showFrame('armed');
    return pick;
  }
}
