// The UserInterface port (src/authenticator/ports.ts) as the user sees it: one consent
// window per ceremony, served from the extension's origin (DESIGN.md step 4). The window
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
  private pending: { request: PromptRequest; resolve: (answer: PromptAnswer) => void } | undefined;
  private closed = false;

  constructor(
    readonly ceremonyId: string,
    private readonly caller: { origin: string; topOrigin?: string },
    private readonly windows: PromptWindows,
    signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => void this.close(), { once: true });
  }

  get isOpen(): boolean {
    return this.windowId !== undefined;
  }

  async confirmCreate(request: Parameters<UserInterface['confirmCreate']>[0]) {
    const answer = await this.ask({
      kind: 'create',
      site: this.site(request.rp),
      user: request.user,
      defaultFriendlyName: request.defaultFriendlyName,
    });
    if (answer.kind !== 'approve') return declined(answer);
    const friendlyName = answer.friendlyName?.trim() || request.defaultFriendlyName;
    return { kind: 'approve' as const, friendlyName: friendlyName.slice(0, 64) };
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
    const answer = await this.ask({ kind: 'get', site: this.site(request.rp), accounts });
    if (answer.kind !== 'approve') return declined(answer);
    // The prompt may only pick one of the accounts it was shown.
    const chosen = accounts.length === 1 && answer.credentialId === undefined
      ? accounts[0]
      : accounts.find((account) => account.credentialId === answer.credentialId);
    const credentialId = chosen && fromBase64url(chosen.credentialId);
    return credentialId ? { kind: 'approve' as const, credentialId } : { kind: 'cancel' as const };
  }

  /** The prompt window said hello with this ceremony's id. */
  attach(connection: PromptConnection): void {
    if (this.closed) {
      connection.post({ type: 'close' });
      return;
    }
    this.connection = connection;
    if (this.pending) connection.post({ type: 'show', request: this.pending.request });
  }

  /** The prompt window answered the question on screen. */
  answer(answer: PromptAnswer): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(answer);
  }

  /** The prompt window went away (closed by the user, or crashed) without answering. */
  detach(): void {
    this.connection = undefined;
    this.windowId = undefined;
    this.answer({ kind: 'cancel' });
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

  private ask(request: PromptRequest): Promise<PromptAnswer> {
    if (this.closed) return Promise.resolve({ kind: 'cancel' });
    const answer = new Promise<PromptAnswer>((resolve) => {
      this.pending = { request, resolve };
    });
    if (this.connection) this.connection.post({ type: 'show', request });
    else if (!this.opening) {
      this.opening = this.windows.open(this.ceremonyId).then(
        (windowId) => {
          this.windowId = windowId;
          if (this.closed) void this.windows.close(windowId).catch(() => undefined);
        },
        () => this.answer({ kind: 'cancel' }),
      );
    }
    return answer;
  }
}
