import { describe, expect, it } from 'vitest';
import { RELAY_STARTED, startRelay, type RelayScope } from '../../../src/relay/lifecycle';

/** A frame's window as the relays of two extension instances share it: one DOM, one event target. */
const frameWindow = () => {
  const target = new EventTarget();
  return {
    addEventListener: (type: string, listener: (event: Event) => void) => target.addEventListener(type, listener),
    removeEventListener: (type: string, listener: (event: Event) => void) => target.removeEventListener(type, listener),
    dispatchEvent: (event: Event) => target.dispatchEvent(event),
    /** The handshake the page posts: which relays hear it. */
    handshake: () => target.dispatchEvent(new Event('message')),
  };
};

/** One relay instance: its own isolated world (scope), whether its extension is there, and what it heard. */
const relay = () => {
  const heard: string[] = [];
  let alive = true;
  return {
    scope: {} as RelayScope,
    heard,
    alive: () => alive,
    orphan: () => void (alive = false),
    onMessage: () => void heard.push('handshake'),
  };
};

describe("the relay's life in a frame", () => {
  it("starts 'fresh' in a frame where no relay ran, and hears the page's handshakes", () => {
    const win = frameWindow();
    const a = relay();
    expect(startRelay(a.scope, win, a.alive, a.onMessage)).toBe(true);
    expect(a.scope.latchkeyRelay).toBe('fresh');
    win.handshake();
    expect(a.heard).toEqual(['handshake']);
  });

  it('does not start twice in one instance’s world (an injection meeting the manifest’s relay)', () => {
    const win = frameWindow();
    const a = relay();
    startRelay(a.scope, win, a.alive, a.onMessage);
    expect(startRelay(a.scope, win, a.alive, a.onMessage)).toBe(false);
    expect(a.scope.latchkeyRelay).toBe('fresh');
    win.handshake();
    expect(a.heard).toEqual(['handshake']);
  });

  it("a fresh relay after an orphan starts as 'successor', the orphan steps down, and only the fresh one hears handshakes", () => {
    const win = frameWindow();
    const old = relay();
    startRelay(old.scope, win, old.alive, old.onMessage);
    old.orphan();
    const fresh = relay();
    expect(startRelay(fresh.scope, win, fresh.alive, fresh.onMessage)).toBe(true);
    expect(fresh.scope.latchkeyRelay).toBe('successor');
    win.handshake();
    expect(old.heard).toEqual([]);
    expect(fresh.heard).toEqual(['handshake']);
  });

  it('an orphan with no successor keeps hearing handshakes (it answers them with fallback)', () => {
    const win = frameWindow();
    const old = relay();
    startRelay(old.scope, win, old.alive, old.onMessage);
    old.orphan();
    win.handshake();
    expect(old.heard).toEqual(['handshake']);
  });

  it("a live relay ignores the page's own 'started' event: it stays, and says no relay is there", () => {
    const win = frameWindow();
    const a = relay();
    startRelay(a.scope, win, a.alive, a.onMessage);
    const forged = new Event(RELAY_STARTED, { cancelable: true });
    expect(win.dispatchEvent(forged)).toBe(true);
    win.handshake();
    expect(a.heard).toEqual(['handshake']);
  });
});
