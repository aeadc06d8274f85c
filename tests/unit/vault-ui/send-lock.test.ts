import { beforeEach, describe, expect, it, vi } from 'vitest';

const sendMessage = vi.fn<(message: unknown) => Promise<unknown>>();

vi.mock('wxt/browser', () => ({
  browser: { runtime: { sendMessage: (message: unknown) => sendMessage(message) }, storage: { session: {}, onChanged: { addListener() {}, removeListener() {} } } },
}));

const { sendLock } = await import('../../../components/vault/useLockStatus');

beforeEach(() => sendMessage.mockReset());

describe("the vault pages' lock requests", () => {
  it('sends the request as it is and gives back the reply', async () => {
    const reply = { ok: true, status: { state: 'unlocked', retryAt: null, failures: 0, passkeysKept: 0, autoLockMinutes: 15 } };
    sendMessage.mockResolvedValue(reply);
    await expect(sendLock({ type: 'lock:unlock', pin: '13572468' })).resolves.toEqual(reply);
    expect(sendMessage).toHaveBeenCalledWith({ type: 'lock:unlock', pin: '13572468' });
  });

  it('rejects with a sentence when the service worker does not answer', async () => {
    sendMessage.mockResolvedValue(undefined);
    await expect(sendLock({ type: 'lock:status' })).rejects.toThrow('Latchkey did not answer.');
  });
});
