// The UserInterface port (src/authenticator/ports.ts) as the user sees it: one consent
// window per ceremony, served from the extension's origin (docs/architecture.md#a-ceremony-end-to-end step 4). The window
// connects back with the ceremony id; each question is a PromptRequest, each reply a
// PromptAnswer.

import type {
  CredentialRecord,
  RelyingPartySummary,
  UserDeclined,
  UserInterface,
} from '../authenticator/ports';
import { fromBase64url, toBase64url } from '../protocol/base64url';
import type { AccountSummary, PromptAnswer, PromptRequest, PromptShow, PromptSite } from '../protocol/messages';
import type { PromptWindows } from './windows';

/**
 * What the session needs of the vault lock (src/background/lock.ts) to verify the user: the
 * PIN typed in this ceremony's prompt, checked by the service worker, never by the prompt.
 */
export interface UserVerifier {
  isUnlocked(): Promise<boolean>;
  verifyUser(pin: string): Promise<{ ok: true } | { ok: false; message: string }>;
}

const LOCKED = 'Latchkey is locked. Unlock it with your PIN to continue.';

/** The prompt window's end of its runtime port, as the session uses it. */
export interface PromptConnection {
  post(message: PromptShow): void;
}

export function accountSummary(record: CredentialRecord): AccountSummary {
  return {
    credentialId: toBase64url(record.credentialId),
    userName: record.userName,
    userDisplayName: record.userDisplayName,
    friendlyName: record.friendlyName,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    ...(record.supersededBy ? { earlierOf: toBase64url(record.supersededBy) } : {}),
  };
}

function declined(answer: PromptAnswer): UserDeclined {
  if (answer.kind === 'other-device' || answer.kind === 'security-key') return { kind: answer.kind };
  return { kind: 'cancel' };
}

export class PromptSession implements UserInterface {
  private windowId: number | undefined;
  private opening: Promise<void> | undefined;
  private connection: PromptConnection | undefined;
  private pending: { show: PromptShow; resolve: (answer: PromptAnswer) => void } | undefined;
  private closed = false;
  /** Windows removed while windows.create had not yet said which id this session's has. */
  private removedWhileOpening: Set<number> | undefined;

  constructor(
    readonly ceremonyId: string,
    private readonly caller: { origin: string; topOrigin?: string },
    private readonly windows: PromptWindows,
    signal: AbortSignal,
    private readonly verifier?: UserVerifier,
  ) {
    signal.addEventListener('abort', () => void this.close(), { once: true });
  }

  get isOpen(): boolean {
    return this.windowId !== undefined;
  }

  async confirmCreate(request: Parameters<UserInterface['confirmCreate']>[0]) {
    const { answer, userVerified } = await this.askUnlocked({
      kind: 'create',
      site: this.site(request.rp),
      user: request.user,
      defaultFriendlyName: request.defaultFriendlyName,
      userVerification: request.userVerification,
      ...(request.replacing ? { replacing: accountSummary(request.replacing) } : {}),
    });
    if (answer.kind !== 'approve') return declined(answer);
    const friendlyName = answer.friendlyName?.trim() || request.defaultFriendlyName;
    return { kind: 'approve' as const, friendlyName: friendlyName.slice(0, 64), userVerified };
  }

  async acknowledgeExcluded(request: Parameters<UserInterface['acknowledgeExcluded']>[0]) {
    const answer = await this.ask({
      kind: 'excluded',
      site: this.site(request.rp),
      existing: accountSummary(request.existing),
    });
    return answer.kind === 'approve' ? { kind: 'approve' as const } : declined(answer);
  }

  async chooseCredential(request: Parameters<UserInterface['chooseCredential']>[0]) {
    const accounts = request.candidates.map(accountSummary);
    const { answer, userVerified } = await this.askUnlocked({
      kind: 'get',
      site: this.site(request.rp),
      accounts,
      userVerification: request.userVerification,
    });
    if (answer.kind !== 'approve') return declined(answer);
    // The prompt may only pick one of the accounts it was shown.
    const chosen = accounts.length === 1 && answer.credentialId === undefined
      ? accounts[0]
      : accounts.find((account) => account.credentialId === answer.credentialId);
    const credentialId = chosen && fromBase64url(chosen.credentialId);
    return credentialId ? { kind: 'approve' as const, credentialId, userVerified } : { kind: 'cancel' as const };
  }

  /** The question waiting for an answer, as the prompt's port would be shown it; none once closed. */
  question(): PromptShow | undefined {
    return this.closed ? undefined : this.pending?.show;
  }

  /** The prompt window said hello with this ceremony's id. */
  attach(connection: PromptConnection): void {
    if (this.closed) {
      connection.post({ type: 'close' });
      return;
    }
    this.connection = connection;
    if (this.pending) connection.post(this.pending.show);
  }

  /** The prompt window answered the question on screen. */
  answer(answer: PromptAnswer): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(answer);
  }

  /**
   * The prompt window of `connection` went away (closed by the user, or crashed) without
   * answering. A window this session no longer shows (one dismissed, with a new one open
   * since) changes nothing.
   */
  detach(connection: PromptConnection): void {
    if (connection !== this.connection) return;
    this.connection = undefined;
    this.windowId = undefined;
    this.opening = undefined;
    this.answer({ kind: 'cancel' });
  }

  /**
   * A browser window was removed (windows.onRemoved). When it is this session's, the user closed
   * the prompt, whether or not its script had connected yet: the question on screen is answered
   * cancel at once, as if the prompt had said so, and the next question opens a new window.
   */
  windowRemoved(windowId: number): void {
    if (this.opening && this.windowId === undefined) {
      (this.removedWhileOpening ??= new Set()).add(windowId);
      return;
    }
    if (windowId !== this.windowId) return;
    this.connection = undefined;
    this.windowId = undefined;
    this.opening = undefined;
    this.answer({ kind: 'cancel' });
  }

  /**
   * Closes the window but not the session: the next question opens a new window. For an
   * autofill pick whose PIN prompt the user cancelled: the conditional get goes on, so the
   * user can pick again (autofill-session.ts).
   */
  async dismiss(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    await opening?.catch(() => undefined);
    const windowId = this.windowId;
    this.windowId = undefined;
    this.connection = undefined;
    if (windowId !== undefined) await this.windows.close(windowId).catch(() => undefined);
  }

  /**
   * Ends the session with `message` in its window, which stays open until the user closes it:
   * the user approved and must learn that the work failed. Without a connected window, close()
   * goes on as usual.
   */
  fail(message: string): void {
    if (this.closed || !this.connection) return;
    this.closed = true;
    this.connection.post({ type: 'failed', message });
    this.connection = undefined;
    this.windowId = undefined;
  }

  /** Closes the window, answering any open question with cancel. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.answer({ kind: 'cancel' });
    await this.opening?.catch(() => undefined);
    const windowId = this.windowId;
    this.windowId = undefined;
    this.connection = undefined;
    if (windowId !== undefined) await this.windows.close(windowId).catch(() => undefined);
  }

  private site(rp: RelyingPartySummary): PromptSite {
    return { rpId: rp.id, rpName: rp.name, origin: this.caller.origin, topOrigin: this.caller.topOrigin };
  }

  /**
   * Asks until the answer can be taken: an approval needs the vault unlocked (the prompt
   * unlocks it, or sets it up, before it lets the user approve) and, when the request asks for
   * user verification, the PIN typed in this prompt, checked against the vault's PIN check.
   * A wrong PIN asks again with a sentence saying so. `userVerified` is true only then.
   */
  private async askUnlocked(
    request: Extract<PromptRequest, { userVerification: boolean }>,
  ): Promise<{ answer: PromptAnswer; userVerified: boolean }> {
    let error: string | undefined;
    for (;;) {
      const answer = await this.ask(request, error);
      if (answer.kind !== 'approve' || !this.verifier) return { answer, userVerified: false };
      if (!(await this.verifier.isUnlocked())) {
        error = LOCKED;
        continue;
      }
      if (!request.userVerification) {
        // UV means the PIN was typed in this ceremony (docs/architecture.md#user-verification): a PIN
        // typed to unlock in this window counts, though the ceremony did not ask for it.
        const typed = answer.pin !== undefined && (await this.verifier.verifyUser(answer.pin)).ok;
        return { answer, userVerified: typed };
      }
      if (!answer.pin) {
        error = 'Enter your Latchkey PIN to continue.';
        continue;
      }
      const check = await this.verifier.verifyUser(answer.pin);
      if (check.ok) return { answer, userVerified: true };
      error = check.message;
    }
  }

  private ask(request: PromptRequest, error?: string): Promise<PromptAnswer> {
    if (this.closed) return Promise.resolve({ kind: 'cancel' });
    const show: PromptShow = error === undefined ? { type: 'show', request } : { type: 'show', request, error };
    const answer = new Promise<PromptAnswer>((resolve) => {
      this.pending = { show, resolve };
    });
    if (this.connection) this.connection.post(show);
    else if (!this.opening) {
      this.opening = this.windows.open(this.ceremonyId).then(
        (windowId) => {
          const removed = this.removedWhileOpening?.has(windowId) ?? false;
          this.removedWhileOpening = undefined;
          this.windowId = windowId;
          if (this.closed) void this.windows.close(windowId).catch(() => undefined);
          else if (removed) this.windowRemoved(windowId);
        },
        () => this.answer({ kind: 'cancel' }),
      );
    }
    return answer;
  }
}
