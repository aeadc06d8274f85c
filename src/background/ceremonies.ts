// Runs each ceremony the relay opens a port for (DESIGN.md "A ceremony, end to end",
// steps 3–6): who is calling comes from the port's sender, the request is schema-checked,
// the client algorithm runs with a PromptSession as the user interface, and the answer goes
// back on the same port. Closing the port (the page aborted, the tab went away) aborts.

import type { Authenticator } from '../authenticator';
import type { UserInterface } from '../authenticator/ports';
import {
  callerContext,
  createCredential,
  failure,
  getAssertion,
  lifetimeSignal,
  lifetimeTimerMs,
  toCeremonyError,
  type FrameInfo,
} from '../client';
import { toBase64url } from '../protocol/base64url';
import type { CeremonyResponse, PromptAnswer, RelayRequest } from '../protocol/messages';
import { validatePromptMessage, validateRelayRequest } from '../protocol/validate';
import { PromptSession, type UserVerifier } from './prompt-session';
import type { RuntimePort } from './runtime-port';
import type { PromptWindows } from './windows';

export interface CeremonyServices {
  windows: PromptWindows;
  authenticator(ui: UserInterface): Promise<Authenticator>;
  frames(tabId: number): Promise<FrameInfo[]>;
  /** The extension's own prompt.html URL, to recognise the prompt's port. */
  promptUrl: string;
  randomId(): string;
  /**
   * The vault lock, which checks the PIN typed in the prompt (src/background/lock.ts). With it,
   * user verification is available and 'required' ceremonies are served; without it, they go
   * to the browser.
   */
  userVerification?: UserVerifier;
}

const REFUSED = (message: string): CeremonyResponse => ({ type: 'error', name: 'NotAllowedError', message });

export class Ceremonies {
  /** Open prompt sessions by ceremony id. */
  private readonly sessions = new Map<string, PromptSession>();
  /** Tabs with a ceremony under way: Chromium also allows one pending request per tab. */
  private readonly busyTabs = new Set<number>();

  constructor(private readonly services: CeremonyServices) {}

  /** A relay opened a ceremony port. */
  acceptRelay(port: RuntimePort): void {
    const sender = port.sender;
    const tabId = sender?.tab?.id;
    const windowId = sender?.tab?.windowId;
    const origin = sender?.origin;
    const frameId = sender?.frameId;
    if (tabId === undefined || windowId === undefined || origin === undefined || frameId === undefined) {
      port.disconnect();
      return;
    }
    const portClosed = new AbortController();
    let answered = false;
    const reply = (response: CeremonyResponse) => {
      if (answered || portClosed.signal.aborted) return;
      answered = true;
      port.postMessage(response);
    };
    port.onDisconnect.addListener(() => portClosed.abort());
    let started = false;
    port.onMessage.addListener((message) => {
      if (started) return; // later messages are heartbeats; they only keep the worker awake
      const validation = validateRelayRequest(message);
      if (!validation.ok) return; // a heartbeat before the request, or garbage
      const request = validation.value;
      started = true;
      if (this.busyTabs.has(tabId)) {
        reply(REFUSED('A request is already pending.'));
        return;
      }
      this.busyTabs.add(tabId);
      this.run(request, { tabId, windowId, origin, frameId }, portClosed.signal, reply)
        .catch(() => reply({ type: 'error', name: 'UnknownError', message: 'Latchkey failed to answer.' }))
        .finally(() => this.busyTabs.delete(tabId));
    });
  }

  /** A prompt window opened its port. */
  acceptPrompt(port: RuntimePort): void {
    if (!port.sender?.url?.startsWith(this.services.promptUrl)) {
      port.disconnect();
      return;
    }
    let session: PromptSession | undefined;
    port.onMessage.addListener((raw) => {
      const validation = validatePromptMessage(raw);
      if (!validation.ok || validation.value.type === 'heartbeat') return;
      const message = validation.value;
      if (message.type === 'hello') {
        session = this.sessions.get(message.ceremonyId);
        if (session) session.attach({ post: (show) => port.postMessage(show) });
        else port.postMessage({ type: 'close' });
      } else if (message.type === 'answer') {
        session?.answer(message.answer satisfies PromptAnswer);
      }
    });
    port.onDisconnect.addListener(() => session?.detach());
  }

  private async run(
    request: RelayRequest,
    caller: { tabId: number; windowId: number; origin: string; frameId: number },
    portClosed: AbortSignal,
    reply: (response: CeremonyResponse) => void,
  ): Promise<void> {
    const frames = caller.frameId === 0
      ? [{ frameId: 0, parentFrameId: -1, url: caller.origin }]
      : await this.services.frames(caller.tabId);
    const context = callerContext({ origin: caller.origin, frameId: caller.frameId }, frames);
    if (!context) {
      reply(toCeremonyError(failure('UnknownCaller')));
      return;
    }
    const mediation = request.type === 'get' ? request.mediation : undefined;
    const signal = lifetimeSignal(lifetimeTimerMs(request.options.timeout, mediation), portClosed);
    const id = this.services.randomId();
    const session = new PromptSession(
      id,
      { origin: context.origin, topOrigin: context.sameOriginWithAncestors ? undefined : context.topOrigin },
      this.services.windows,
      signal,
      this.services.userVerification,
    );
    this.sessions.set(id, session);
    try {
      const authenticator = await this.services.authenticator(session);
      const deps = { authenticator, signal, userVerificationAvailable: this.services.userVerification !== undefined };
      const response = request.type === 'create'
        ? await createCredential({ options: request.options }, { ...context, frame: request.frame }, deps)
        : await getAssertion({ options: request.options, mediation: request.mediation }, { ...context, frame: request.frame }, deps);
      if (response.type === 'fallback') {
        // Chromium refuses WebAuthn from a page without focus: close our window and focus
        // the tab before the page calls the browser's own WebAuthn (DESIGN.md step 6).
        const hadWindow = session.isOpen;
        await session.close();
        if (hadWindow) await this.services.windows.focusTab(caller).catch(() => undefined);
        reply(response);
      } else {
        reply(response);
        await session.close();
      }
    } finally {
      this.sessions.delete(id);
      await session.close();
    }
  }
}

export function randomCeremonyId(): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(16)));
}
