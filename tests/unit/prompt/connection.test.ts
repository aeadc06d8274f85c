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

vi.mock('wxt/browser', () => ({
  browser: { runtime: { connect: () => port, sendMessage: (message: unknown) => sendMessage(message) } },
}));

const { openPromptConnection } = await import('../../../components/prompt/connection');

const request = { kind: 'create', rp: { id: 'example.com', name: 'Example' } } as never;
const deliver = (message: unknown) => port.listeners.forEach((listener) => listener(message));

beforeEach(() => {
  port.posted = [];
  port.listeners = [];
  sendMessage.mockReset();
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
