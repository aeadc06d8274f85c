// One cross-origin create() per user activation (L3 §5.1.3 step 2 consumes it). No extension
// API can consume the browser's transient activation, so the relay keeps its own mark: a
// create forwarded from this frame uses the activation up, and only a new trusted
// activation-triggering event (HTML §6.4.3) frees it again.

/** The fields of an input event the tracker reads. */
export interface ActivationEventLike {
  type: string;
  isTrusted: boolean;
  key?: string;
  pointerType?: string;
}

/**
 * The event types the relay listens to. One press is counted once: a mouse press is its
 * pointerdown (its mousedown follows), a touch or pen press its pointerup (its touchend follows).
 */
export const ACTIVATION_EVENTS = ['keydown', 'pointerdown', 'pointerup'];

/**
 * HTML's activation-triggering input events, among those above: a keydown other than Escape
 * (and, stricter than HTML, a modifier), a mouse's pointerdown, another pointer's pointerup.
 */
export const triggersActivation = (event: ActivationEventLike): boolean =>
  event.isTrusted &&
  (event.type === 'keydown'
    ? !/^(Alt|Control|Escape|Meta|Shift)/.test(event.key ?? '')
    : (event.pointerType === 'mouse') === (event.type === 'pointerdown'));

export interface ActivationTracker {
  /** The listener for ACTIVATION_EVENTS (capture, on the window). */
  onEvent(event: ActivationEventLike): void;
  /**
   * The transient activation a request may count on: the browser's, unless a create already
   * used it. A create uses it up.
   */
  take(isActive: boolean, create: boolean): boolean;
}

export function activationTracker(): ActivationTracker {
  let used = false;
  return {
    onEvent(event) {
      if (triggersActivation(event)) used = false;
    },
    take(isActive, create) {
      const active = isActive && !used;
      if (create) used = true;
      return active;
    },
  };
}
