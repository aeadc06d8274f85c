import { beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (message: unknown) => void;

const port = {
  posted: [] as unknown[],
  listeners: [] as Listener[],
  postMessage(message: unknown) {
    this.posted.push(message);
  },
  onMessage: { addListener(listener: Listener) { port.listeners.push(listener); } },
  onDisconnect: { addListener() {} },
};
const sendMessage = vi.fn<(message: unknown) => Promise<unknown>>();
const connect = vi.fn(() => port);

vi.mock('wxt/browser', () => ({
  browser: { runtime: { connect: () => connect(), sendMessage: (message: unknown) => sendMessage(message) } },
}));

const { openPromptConnection } = await import('../../../components/prompt/connection');

const request = { kind: 'create', rp: { id: 'example.com', name: 'Example' } } as never;
const deliver = (message: unknown) => port.listeners.forEach((listener) => listener(message));

beforeEach(() => {
  port.posted = [];
  port.listeners = [];
  sendMessage.mockReset();
  connect.mockClear();
  vi.useFakeTimers();
});

describe('the prompt connection', () => {
  it('says hello with its ceremony id before anything else', () => {
    openPromptConnection('ceremony-1');
    expect(port.posted).toEqual([{ type: 'hello', ceremonyId: 'ceremony-1' }]);
  });

  it('asks the question the worker shows, with the lock state it came with, and asks no more', () => {
    const connection = openPromptConnection('c');
    expect(connection.state()).toEqual({ phase: 'connecting' });
    deliver({ type: 'show', request, unlocked: true });
    expect(connection.state()).toEqual({ phase: 'asking', request, error: undefined });
    expect(connection.lock()).toBe('unlocked');
    expect(sendMessage).not.toHaveBeenCalled();
  });

  it('asks for the lock status when the question came without one', async () => {
    sendMessage.mockResolvedValue({ ok: true, status: { state: 'locked' } });
    const connection = openPromptConnection('c');
    const changed = new Promise<void>((resolve) => connection.subscribe(() => connection.lock() !== undefined && resolve()));
    deliver({ type: 'show', request });
    await changed;
    expect(sendMessage).toHaveBeenCalledWith({ type: 'lock:status' });
    expect(connection.lock()).toBe('locked');
  });

  it('sends the answer once asked, and shows it answered', () => {
    const connection = openPromptConnection('c');
    deliver({ type: 'show', request, unlocked: false });
    const seen: string[] = [];
    connection.subscribe(() => seen.push(connection.state().phase));
    connection.answer({ kind: 'cancel' } as never);
    expect(connection.state()).toEqual({ phase: 'answered', request });
    expect(port.posted.at(-1)).toEqual({ type: 'answer', answer: { kind: 'cancel' } });
    expect(seen).toEqual(['answered']);
  });

  it('shows the failure the worker reports', () => {
    const connection = openPromptConnection('c');
    deliver({ type: 'failed', message: 'Latchkey failed.' });
    expect(connection.state()).toEqual({ phase: 'failed', message: 'Latchkey failed.' });
  });

  it('keeps the worker awake with heartbeats', () => {
    openPromptConnection('c');
    vi.advanceTimersByTime(60_000);
    expect(port.posted.filter((m) => (m as { type: string }).type === 'heartbeat').length).toBeGreaterThan(0);
  });
});

describe('the prompt connection, with the service worker as the page’s controller', () => {
  /** A controller that answers each request with `reply` on the MessagePort it was given. */
  function controller(reply: unknown) {
    const asked: unknown[] = [];
    return {
      asked,
      postMessage(message: unknown, transfer: Transferable[]) {
        asked.push(message);
        (transfer[0] as MessagePort).postMessage(reply);
      },
    };
  }
  /** requestAnimationFrame, whose frames run when `paint` is called. */
  function frames() {
    const callbacks: (() => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => callbacks.push(callback));
    return { paint: () => callbacks.splice(0).forEach((callback) => callback()) };
  }

  it('shows the question the worker answers before any port opens, and opens the port once that has painted', async () => {
    const frame = frames();
    const worker = controller({ type: 'show', request, unlocked: true });
    const connection = openPromptConnection('c', worker);
    await new Promise<void>((resolve) => connection.subscribe(resolve));
    expect(worker.asked).toEqual([{ type: 'prompt:question', ceremonyId: 'c' }]);
    expect(connection.state()).toEqual({ phase: 'asking', request, error: undefined });
    expect(connection.lock()).toBe('unlocked');
    expect(connect).not.toHaveBeenCalled();
    frame.paint();
    await vi.waitFor(() => expect(port.posted).toEqual([{ type: 'hello', ceremonyId: 'c' }]));
    expect(connect).toHaveBeenCalledTimes(1);
    vi.unstubAllGlobals();
  });

  it('does not show the same question again when the port’s hello brings it, so an answer given meanwhile stands', async () => {
    frames();
    const connection = openPromptConnection('c', controller({ type: 'show', request, unlocked: true }));
    await new Promise<void>((resolve) => connection.subscribe(resolve));
    connection.answer({ kind: 'cancel' } as never);
    expect(port.posted).toEqual([{ type: 'hello', ceremonyId: 'c' }, { type: 'answer', answer: { kind: 'cancel' } }]);
    deliver({ type: 'show', request: JSON.parse(JSON.stringify(request)), unlocked: true });
    expect(connection.state()).toEqual({ phase: 'answered', request });
    deliver({ type: 'show', request, error: 'Wrong PIN.', unlocked: true });
    expect(connection.state()).toEqual({ phase: 'asking', request, error: 'Wrong PIN.' });
    vi.unstubAllGlobals();
  });

  it('opens the port a moment after the early question even when no frame is painted (a hidden window)', async () => {
    frames();
    const connection = openPromptConnection('c', controller({ type: 'show', request, unlocked: true }));
    await new Promise<void>((resolve) => connection.subscribe(resolve));
    expect(connect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(port.posted).toEqual([{ type: 'hello', ceremonyId: 'c' }]);
    vi.unstubAllGlobals();
  });

  it('opens the port at once when the worker has no question for this ceremony', async () => {
    const worker = controller(undefined);
    openPromptConnection('c', worker);
    await vi.waitFor(() => expect(port.posted).toEqual([{ type: 'hello', ceremonyId: 'c' }]));
    expect(worker.asked).toHaveLength(1);
  });
});
