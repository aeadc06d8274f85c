import { describe, expect, it } from 'vitest';
import { activationTracker, triggersActivation } from '../../../src/relay/activation';

const click = { type: 'pointerdown', isTrusted: true, pointerType: 'mouse' };

describe('one cross-origin create per user activation', () => {
  it('allows a create on an activation, and not a second create on the same activation', () => {
    const tracker = activationTracker();
    tracker.onEvent(click);
    expect(tracker.take(true, true)).toBe(true);
    expect(tracker.take(true, true)).toBe(false);
  });

  it('allows the next create after a new trusted activation-triggering event', () => {
    const tracker = activationTracker();
    tracker.onEvent(click);
    tracker.take(true, true);
    tracker.onEvent({ type: 'keydown', isTrusted: true, key: 'Enter' });
    expect(tracker.take(true, true)).toBe(true);
  });

  it('does not free a used activation for an event the page dispatched, a modifier key or Escape', () => {
    const tracker = activationTracker();
    tracker.onEvent(click);
    tracker.take(true, true);
    tracker.onEvent({ ...click, isTrusted: false });
    tracker.onEvent({ type: 'keydown', isTrusted: true, key: 'Shift' });
    tracker.onEvent({ type: 'keydown', isTrusted: true, key: 'Escape' });
    expect(tracker.take(true, true)).toBe(false);
  });

  it('counts one press once: a mouse pointerup, or a touch pointerdown, is no new activation', () => {
    expect(triggersActivation({ type: 'pointerup', isTrusted: true, pointerType: 'mouse' })).toBe(false);
    expect(triggersActivation({ type: 'pointerdown', isTrusted: true, pointerType: 'touch' })).toBe(false);
    expect(triggersActivation({ type: 'pointerup', isTrusted: true, pointerType: 'touch' })).toBe(true);
  });

  it("never claims an activation the browser does not have, and a get does not use one up", () => {
    const tracker = activationTracker();
    tracker.onEvent(click);
    expect(tracker.take(false, false)).toBe(false);
    expect(tracker.take(true, false)).toBe(true);
    expect(tracker.take(true, true)).toBe(true);
  });
});
