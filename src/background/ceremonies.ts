// Runs each ceremony the relay opens a port for (docs/architecture.md#a-ceremony-end-to-end,
// steps 3–6): who is calling comes from the port's sender, the request is schema-checked,
// the client algorithm runs with a PromptSession as the user interface, and the answer goes
// back on the same port. Closing the port (the page aborted, the tab went away) aborts.
// A conditional get that Latchkey owns runs with an AutofillSession instead, whose
// suggestion frame connects on its own port (acceptAutofill).

import type { Authenticator } from '../authenticator';
import type { UserInterface } from '../authenticator/ports';
import {
  callerContext,
  createCredential,
  failure,
  getAssertion,
  lifetimeSignal,
  lifetimeTimerMs,
  publicSuffixList,
  signal,
  toCeremonyError,
  type FrameInfo,
  type RelatedOriginsSource,
} from '../client';
import { validateAutofillMessage, type AutofillNotice } from '../protocol/autofill';
import { toBase64url } from '../protocol/base64url';
import type { CeremonyResponse, PromptAnswer, PromptShow, RelayRequest, SignalRequest } from '../protocol/messages';
import { validatePromptMessage, validateRelayRequest } from '../protocol/validate';
import { AutofillSession, type AutofillFrame } from './autofill-session';
import { PromptSession, type PromptConnection, type UserVerifier } from './prompt-session';
import type { PageHandler } from './router';
import type { PortSender, RuntimePort } from './runtime-port';
import type { LatchkeyEvent } from './user-activity';
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
  lock?: UserVerifier;
  /**
   * The user's settings that shape a ceremony: the "never use Latchkey on this site" list of
   * RP IDs, and whether the browser is offered first for new passkeys.
   */
  ceremonySettings?(): Promise<{ neverSites: readonly string[]; browserFirst: boolean }>;
  /** Related origin requests (L3 §5.11): the origins https://<rpId>/.well-known/webauthn lists. */
  relatedOrigins?: RelatedOriginsSource;
  /** Whether a port comes from Latchkey's own suggestion frame (autofill.html, any dynamic URL). */
  isAutofillFrame?(sender: PortSender): boolean;
  /**
   * Work worth doing while the user reads a prompt rather than after the click (the signing
   * curves' lazy tables). Called a moment after a prompt window says hello.
   */
  warmUp?(): void;
  /** What happens in a ceremony, for the auto-lock to decide what is use (user-activity.ts). */
  activity?(event: LatchkeyEvent): void;
}

/** How long after a prompt's hello the warm-up runs: after the window has what it needs to paint. */
export const WARM_UP_DELAY_MS = 100;

/**
 * A second request while one is pending in the same tab (any frame, any mediation, create or
 * get) is rejected as Chromium 156 does, leaving the first one running (tests/e2e/coexist.test.mjs).
 */
const PENDING = toCeremonyError(failure('RequestPending'));
const WORKER_FAILED = toCeremonyError(failure('WorkerFailed'));

/** What the prompt says when Latchkey itself failed the ceremony (UnknownError). */
export const FAILED = {
  create: 'Latchkey could not save this passkey, and nothing was stored. The browser’s storage may be full: free some disk space, then try again.',
  get: 'Latchkey could not finish signing in. Try again; if it fails again, the browser’s storage may be full.',
} as const;

export class Ceremonies {
  /** Open prompt sessions by ceremony id. */
  private readonly sessions = new Map<string, PromptSession>();
  /** Tabs with a ceremony under way, and its port: Chromium also allows one pending request per tab. */
  private readonly busyTabs = new Map<number, RuntimePort>();
  /** Conditional gets Latchkey owns, by tab (there is at most one per tab), with their frame key. */
  private readonly autofills = new Map<number, { session: AutofillSession; key: string }>();

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
    port.onDisconnect.addListener(() => {
      portClosed.abort();
      // The page aborted (or left): the tab is free at once, so a request the page makes right
      // after aborting is not refused while this ceremony winds down.
      if (this.busyTabs.get(tabId) === port) this.busyTabs.delete(tabId);
    });
    let started = false;
    port.onMessage.addListener((message) => {
      if (started) return; // later messages are heartbeats; they only keep the worker awake
      const validation = validateRelayRequest(message);
      if (!validation.ok) return; // a heartbeat before the request, or garbage
      const request = validation.value;
      started = true;
      // WebAuthn exists only in secure contexts (L3 §5.1): the relay's isSecureContext, which
      // the page cannot change, is the truth. Refused without an answer, as the relay does.
      if (!request.frame.secureContext) {
        port.disconnect();
        return;
      }
      if (request.type === 'statics') {
        this.answerStatics(origin).then(reply, () => reply({ type: 'serve' }));
        return;
      }
      // A signal holds no prompt and never waits for one: it is not a pending request.
      if (request.type === 'signal') {
        this.signal(request, origin, reply).catch(() => reply(WORKER_FAILED));
        return;
      }
      if (this.busyTabs.has(tabId)) {
        reply(PENDING);
        return;
      }
      this.busyTabs.set(tabId, port);
      const notify = (notice: AutofillNotice) => {
        if (!answered && !portClosed.signal.aborted) port.postMessage(notice);
      };
      this.run(request, { tabId, windowId, origin, frameId }, portClosed.signal, reply, notify)
        .catch(() => reply(WORKER_FAILED))
        .finally(() => {
          if (this.busyTabs.get(tabId) === port) this.busyTabs.delete(tabId);
        });
    });
  }

  /**
   * Whether the PublicKeyCredential statics are Latchkey's or the browser's for this caller:
   * the browser's on a site on the "never" list, that is when the caller's host, or a domain
   * above it that it could use as its RP ID, is listed.
   */
  private async answerStatics(origin: string): Promise<CeremonyResponse> {
    const settings = await this.services.ceremonySettings?.();
    let host = '';
    try {
      host = new URL(origin).hostname;
    } catch {
      // an opaque origin: nothing to look up
    }
    const never = settings?.neverSites ?? [];
    const listed = never.includes(origin) || host.split('.').some((_, i, labels) => never.includes(labels.slice(i).join('.')));
    return listed ? { type: 'fallback', hints: [] } : { type: 'serve' };
  }

  /**
   * Latchkey's suggestion frame, framed under a username field, opened its port. It belongs to
   * the conditional get Latchkey owns in the frame's tab, and counts only once its hello says
   * the ceremony's frame key, which only the requesting frame's relay was given (it is in the
   * frame's URL fragment, in a closed shadow root). Any other frame of the tab that loads
   * autofill.html is turned away. (webNavigation does not list extension frames in Chromium, so
   * the frame's parent cannot be read there.)
   */
  acceptAutofill(port: RuntimePort): void {
    const sender = port.sender;
    const tabId = sender?.tab?.id;
    const owned = tabId === undefined ? undefined : this.autofills.get(tabId);
    const refuse = () => {
      port.postMessage({ type: 'close' });
      port.disconnect();
    };
    if (!sender || !owned || !this.services.isAutofillFrame?.(sender)) {
      refuse();
      return;
    }
    const { session, key } = owned;
    const frame: AutofillFrame = { post: (message) => port.postMessage(message) };
    let accepted = false;
    port.onMessage.addListener((raw) => {
      const validation = validateAutofillMessage(raw);
      if (!validation.ok) return;
      const message = validation.value;
      if (message.type === 'hello') {
        accepted = message.key === key;
        if (accepted) session.attachFrame(frame);
        else refuse();
        return;
      }
      if (!accepted) return;
      if (message.type === 'dismiss') session.dismiss(frame);
      else if (message.type === 'pick' || message.type === 'another-device') {
        this.services.activity?.({ kind: 'autofill-pick' });
        if (message.type === 'pick') session.pick(frame, { kind: 'passkey', credentialId: message.credentialId, seen: message.seen });
        else session.pick(frame, { kind: 'another-device' });
      }
    });
    port.onDisconnect.addListener(() => session.detachFrame(frame));
  }

  /** A prompt window opened its port. */
  acceptPrompt(port: RuntimePort): void {
    if (!port.sender?.url?.startsWith(this.services.promptUrl)) {
      port.disconnect();
      return;
    }
    let session: PromptSession | undefined;
    let connection: PromptConnection | undefined;
    port.onMessage.addListener((raw) => {
      const validation = validatePromptMessage(raw);
      if (!validation.ok || validation.value.type === 'heartbeat') return;
      const message = validation.value;
      if (message.type === 'hello') {
        session = this.sessions.get(message.ceremonyId);
        if (session) {
          connection = withLockState(port, this.services.lock);
          session.attach(connection);
          const warmUp = this.services.warmUp;
          if (warmUp) setTimeout(warmUp, WARM_UP_DELAY_MS);
        } else port.postMessage({ type: 'close' });
      } else if (message.type === 'answer' && session) {
        this.services.activity?.({ kind: 'prompt-answer' });
        session.answer(message.answer satisfies PromptAnswer);
      }
    });
    port.onDisconnect.addListener(() => {
      if (connection) session?.detach(connection);
    });
  }

  /**
   * The question a prompt window asks for as its script starts, before its port opens: the
   * session's pending question with the lock state, as the port's first `show` carries it.
   * Only Latchkey's own pages can ask (router.ts, worker-messages.ts), and only with the
   * ceremony id of the prompt's URL.
   */
  async question(ceremonyId: string): Promise<PromptShow | undefined> {
    const show = this.sessions.get(ceremonyId)?.question();
    if (!show || show.type !== 'show' || !this.services.lock) return show;
    return { ...show, unlocked: await this.services.lock.isUnlocked().catch(() => false) };
  }

  /**
   * A browser window was removed (windows.onRemoved). A prompt closed before its script
   * connected has no port to lose, so this is how its ceremony learns the user closed it.
   */
  windowRemoved(windowId: number): void {
    for (const session of this.sessions.values()) session.windowRemoved(windowId);
  }

  /**
   * L3 §5.1.10: the page is answered from the options and the caller's origin alone, and only
   * then does the authenticator apply the signal, so the answer and its timing never depend on
   * what the vault holds (L3 §14.5.2).
   */
  private async signal(request: SignalRequest, origin: string, reply: (response: CeremonyResponse) => void): Promise<void> {
    // A site on the "never" list gets the browser's own statics, these three included.
    const site = await this.answerStatics(origin);
    if (site.type === 'fallback') return reply(site);
    const settings = await this.services.ceremonySettings?.();
    const outcome = await signal(request, origin, {
      neverList: settings?.neverSites ?? [],
      ...(this.services.relatedOrigins ? { relatedOrigins: this.services.relatedOrigins } : {}),
    });
    reply(outcome.response);
    if (outcome.signal) await (await this.services.authenticator(NO_UI)).signal(outcome.signal);
  }

  private async run(
    request: Extract<RelayRequest, { type: 'create' | 'get' }>,
    caller: { tabId: number; windowId: number; origin: string; frameId: number },
    portClosed: AbortSignal,
    reply: (response: CeremonyResponse) => void,
    notify: (notice: AutofillNotice) => void,
  ): Promise<void> {
    const frames = caller.frameId === 0
      ? [{ frameId: 0, parentFrameId: -1, url: caller.origin }]
      : await this.services.frames(caller.tabId);
    const context = callerContext({ origin: caller.origin, frameId: caller.frameId }, frames, request.frame.ancestorOrigins);
    if (!context) {
      reply(toCeremonyError(failure('UnknownCaller')));
      return;
    }
    const mediation = request.type === 'get' ? request.mediation : undefined;
    // "Use another device" ends an owned conditional get here, before the client is done.
    const handedOver = new AbortController();
    const signal = lifetimeSignal(lifetimeTimerMs(request.options.timeout, mediation), portClosed, handedOver.signal);
    const id = this.services.randomId();
    const session = new PromptSession(
      id,
      { origin: context.origin, topOrigin: context.sameOriginWithAncestors ? undefined : context.topOrigin },
      this.services.windows,
      signal,
      this.services.lock,
    );
    this.sessions.set(id, session);
    // A conditional get (L3 §5.1.4.1 with mediation 'conditional'): unless a rule that does not
    // read the vault sends it to the browser before any UI (the "never" list, hints), the
    // authenticator asks the autofill for a pick whatever it holds (L3 §14.5.2).
    let ownedAutofill = false;
    const key = this.services.randomId();
    const autofill = mediation === 'conditional'
      ? new AutofillSession({
        prompt: session,
        caller: { origin: context.origin, topOrigin: context.sameOriginWithAncestors ? undefined : context.topOrigin },
        showFrame: (state) => {
          ownedAutofill = true;
          notify({ type: 'autofill', state, key });
        },
        useAnotherDevice: () => {
          // The browser's modal get, with the page's own options, from the page the user is on.
          reply({ type: 'fallback', hints: [], modal: true });
          handedOver.abort();
        },
        ...(this.services.lock ? { isUnlocked: () => this.services.lock!.isUnlocked() } : {}),
      })
      : undefined;
    if (autofill) {
      this.autofills.get(caller.tabId)?.session.close();
      this.autofills.set(caller.tabId, { session: autofill, key });
      signal.addEventListener('abort', () => autofill.close(), { once: true });
    }
    this.services.activity?.({ kind: 'ceremony-start' });
    try {
      // Reads the prompt waits behind, side by side: the vault, storage.local, and the Public
      // Suffix List the RP ID checks need (read from its file at the worker's first ceremony).
      const [authenticator, settings] = await Promise.all([
        this.services.authenticator(autofill ?? session),
        this.services.ceremonySettings?.(),
        publicSuffixList(),
      ]);
      const deps = {
        authenticator,
        signal,
        userVerificationAvailable: this.services.lock !== undefined,
        neverList: settings?.neverSites ?? [],
        browserFirst: settings?.browserFirst ?? false,
        ...(this.services.relatedOrigins ? { relatedOrigins: this.services.relatedOrigins } : {}),
      };
      const response = request.type === 'create'
        ? await createCredential({ options: request.options }, { ...context, frame: request.frame }, deps)
        : await getAssertion({ options: request.options, mediation: request.mediation }, { ...context, frame: request.frame }, deps);
      // A conditional get Latchkey owned never becomes the browser's conditional get again:
      // "another device" (in the frame, or in the PIN prompt) is the browser's modal get.
      if (response.type === 'fallback' && ownedAutofill) response.modal = true;
      if (response.type === 'fallback') {
        // Chromium refuses WebAuthn from a page without focus: close our window and focus
        // the tab before the page calls the browser's own WebAuthn (docs/architecture.md#a-ceremony-end-to-end step 6).
        const hadWindow = session.isOpen;
        await session.close();
        if (hadWindow) await this.services.windows.focusTab(caller).catch(() => undefined);
        reply(response);
      } else {
        reply(response);
        // Latchkey failed after the user approved (a vault write IndexedDB refused, say): the
        // prompt says so in a sentence rather than vanishing.
        if (response.type === 'error' && response.name === 'UnknownError') session.fail(FAILED[request.type]);
        await session.close();
      }
    } finally {
      if (autofill) {
        autofill.close();
        if (this.autofills.get(caller.tabId)?.session === autofill) this.autofills.delete(caller.tabId);
      }
      this.sessions.delete(id);
      await session.close();
    }
  }
}

/**
 * The prompt's end of its port, as a session posts to it. Each question goes with the vault's
 * lock state (held in memory once the worker has read it at start), so the prompt paints the
 * question without a second round trip to ask for it. Posts keep their order.
 */
export function withLockState(port: Pick<RuntimePort, 'postMessage'>, verifier: UserVerifier | undefined): PromptConnection {
  let queue = Promise.resolve();
  return {
    post(message) {
      queue = queue
        .then(async () => {
          if (message.type !== 'show' || !verifier) return port.postMessage(message);
          const unlocked = await verifier.isUnlocked().catch(() => false);
          port.postMessage({ ...message, unlocked });
        })
        .catch(() => undefined); // the prompt went away meanwhile
    },
  };
}

/** The prompt's `prompt:question` page request (router.ts): Ceremonies.question. */
export function promptQuestionHandler(ceremonies: Pick<Ceremonies, 'question'>): PageHandler {
  return (message) => {
    if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== 'prompt:question') return undefined;
    const { ceremonyId } = message as { ceremonyId?: unknown };
    return typeof ceremonyId === 'string' ? ceremonies.question(ceremonyId) : Promise.resolve(undefined);
  };
}

/** A signal never asks the user anything. */
const NO_UI: UserInterface = {
  confirmCreate: () => Promise.reject(new Error('a signal shows no prompt')),
  acknowledgeExcluded: () => Promise.reject(new Error('a signal shows no prompt')),
  chooseCredential: () => Promise.reject(new Error('a signal shows no prompt')),
};

export function randomCeremonyId(): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(16)));
}
