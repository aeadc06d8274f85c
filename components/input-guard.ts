// Input protection (docs/development.md#behaviour-the-hooks-assume): a control that
// approves takes no click or key until it has been on screen, where it is, for
// INPUT_GUARD_MS. A page can open the prompt while the user is typing or clicking elsewhere;
// their next Enter or click must not be taken as consent. Only approving waits: cancel,
// another device, unlock and set-up never do.
//
// The wait starts again when the window is moved, resized or shown again, or focused by
// anything but a trusted press inside it (alt-tab, another window closing). The press that
// focuses the window is the user aiming at it, so the focus that comes with it starts no wait;
// a press later than that is as stray as any other click.

/** How long approve stays off after it is shown, moved or resized. */
export const INPUT_GUARD_MS = 500;

/** A focus and a press inside this close together are one click that focused the window. */
const SAME_PRESS_MS = 100;

export interface GuardClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: GuardClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class InputGuard {
  /** The wait after shown, moved or resized ends here. */
  private until = Infinity;
  /** The wait after a focus from elsewhere ends here. */
  private focusUntil = 0;
  private lastFocus = -Infinity;
  private lastPress = -Infinity;
  private timer: unknown;
  private on = false;

  constructor(
    private readonly clock: GuardClock,
    private readonly onChange: (armed: boolean) => void,
    private readonly delayMs = INPUT_GUARD_MS,
  ) {}

  /** Whether approve takes clicks and keys now. Off until the first hold() has run out. */
  get armed(): boolean {
    return this.on;
  }

  /** The view was shown, or the window moved, resized or shown again: wait from now. */
  hold(): void {
    this.until = this.clock.now() + this.delayMs;
    this.update();
  }

  /** The window got focus. */
  focused(): void {
    const now = this.clock.now();
    this.lastFocus = now;
    if (now - this.lastPress <= SAME_PRESS_MS) return;
    this.focusUntil = now + this.delayMs;
    this.update();
  }

  /** A trusted press inside the window. */
  pointerDown(): void {
    const now = this.clock.now();
    this.lastPress = now;
    if (now - this.lastFocus > SAME_PRESS_MS) return;
    this.focusUntil = 0;
    this.update();
  }

  dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private update(): void {
    const end = Math.max(this.until, this.focusUntil);
    const wait = end - this.clock.now();
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (wait > 0 && wait !== Infinity) this.timer = this.clock.setTimeout(() => this.update(), wait);
    const on = wait <= 0;
    if (on === this.on) return;
    this.on = on;
    this.onChange(on);
  }
}

/** What watchWindow needs of a window (a fake one in tests). */
export interface WatchedWindow extends EventTarget {
  readonly screenX: number;
  readonly screenY: number;
  readonly document: EventTarget & { readonly visibilityState: DocumentVisibilityState };
}

/**
 * Feeds `guard` what happens to the window. No event tells a window that it moved, so its
 * position is checked every `pollMs`. Returns the function that stops watching.
 */
export function watchWindow(win: WatchedWindow, guard: InputGuard, clock: GuardClock = systemClock, pollMs = 100): () => void {
  let x = win.screenX;
  let y = win.screenY;
  let poll: unknown;
  const checkPosition = () => {
    if (win.screenX !== x || win.screenY !== y) {
      x = win.screenX;
      y = win.screenY;
      guard.hold();
    }
    poll = clock.setTimeout(checkPosition, pollMs);
  };
  poll = clock.setTimeout(checkPosition, pollMs);
  const onResize = () => guard.hold();
  // Focus events of elements reach a capturing window listener too: only the window's counts.
  const onFocus = (event: Event) => {
    if (event.target === win) guard.focused();
  };
  const onPress = (event: Event) => {
    if (event.isTrusted) guard.pointerDown();
  };
  const onVisibility = () => {
    if (win.document.visibilityState === 'visible') guard.hold();
  };
  win.addEventListener('resize', onResize);
  win.addEventListener('focus', onFocus, true);
  win.addEventListener('pointerdown', onPress, true);
  win.document.addEventListener('visibilitychange', onVisibility);
  return () => {
    clock.clearTimeout(poll);
    win.removeEventListener('resize', onResize);
    win.removeEventListener('focus', onFocus, true);
    win.removeEventListener('pointerdown', onPress, true);
    win.document.removeEventListener('visibilitychange', onVisibility);
  };
}
