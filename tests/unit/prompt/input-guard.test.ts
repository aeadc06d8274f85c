import { describe, expect, it } from 'vitest';
import { INPUT_GUARD_MS, InputGuard, watchWindow, type GuardClock } from '../../../components/input-guard';

/** A clock that moves only when the test says so, running the timers that come due. */
function fakeClock() {
  let now = 1000;
  let timers: { at: number; run: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: GuardClock = {
    now: () => now,
    setTimeout(run, ms) {
      const id = nextId++;
      timers.push({ at: now + ms, run, id });
      return id;
    },
    clearTimeout(id) {
      timers = timers.filter((timer) => timer.id !== id);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((timer) => timer !== due);
      now = due.at;
      due.run();
    }
    now = until;
  };
  return { clock, advance };
}

function setup() {
  const { clock, advance } = fakeClock();
  const changes: boolean[] = [];
  const guard = new InputGuard(clock, (armed) => changes.push(armed));
  return { guard, advance, changes };
}

describe('InputGuard: stray clicks and keys do not approve', () => {
  it('keeps approve off for INPUT_GUARD_MS after it is shown, then turns it on once', () => {
    const { guard, advance, changes } = setup();
    expect(guard.armed).toBe(false);
    guard.hold();
    advance(INPUT_GUARD_MS - 1);
    expect(guard.armed).toBe(false);
    advance(1);
    expect(guard.armed).toBe(true);
    expect(changes).toEqual([true]);
  });

  it('turns approve off again, for the whole wait, when the window is moved or resized', () => {
    const { guard, advance, changes } = setup();
    guard.hold();
    advance(INPUT_GUARD_MS);
    expect(guard.armed).toBe(true);
    guard.hold();
    expect(guard.armed).toBe(false);
    advance(INPUT_GUARD_MS - 1);
    expect(guard.armed).toBe(false);
    guard.hold(); // moved again before the wait ended: it starts over
    advance(INPUT_GUARD_MS - 1);
    expect(guard.armed).toBe(false);
    advance(1);
    expect(guard.armed).toBe(true);
    expect(changes).toEqual([true, false, true]);
  });

  it('turns approve off when the window is focused by anything but a press inside it', () => {
    const { guard, advance } = setup();
    guard.hold();
    advance(INPUT_GUARD_MS);
    guard.focused();
    expect(guard.armed).toBe(false);
    advance(INPUT_GUARD_MS);
    expect(guard.armed).toBe(true);
  });

  it('a trusted press inside ends a hold that only focus caused, whichever event comes first', () => {
    const { guard, advance } = setup();
    guard.hold();
    advance(INPUT_GUARD_MS);
    guard.focused();
    guard.pointerDown();
    expect(guard.armed).toBe(true);
    advance(1000);
    guard.pointerDown();
    guard.focused();
    expect(guard.armed).toBe(true);
  });

  it('a press well after a focus from elsewhere (alt-tab, then a click) does not end its wait', () => {
    const { guard, advance } = setup();
    guard.hold();
    advance(INPUT_GUARD_MS);
    guard.focused();
    advance(200);
    guard.pointerDown();
    expect(guard.armed).toBe(false);
    advance(INPUT_GUARD_MS - 200);
    expect(guard.armed).toBe(true);
  });

  it('a press does not shorten the wait after the view is shown, moved or resized', () => {
    const { guard, advance } = setup();
    guard.hold();
    advance(100);
    guard.focused();
    guard.pointerDown();
    expect(guard.armed).toBe(false);
    advance(INPUT_GUARD_MS - 100);
    expect(guard.armed).toBe(true);
  });

  it('a focus long after a press still holds', () => {
    const { guard, advance } = setup();
    guard.hold();
    advance(INPUT_GUARD_MS);
    guard.pointerDown();
    advance(1000);
    guard.focused();
    expect(guard.armed).toBe(false);
  });

  it('stops its timer when disposed', () => {
    const { guard, advance, changes } = setup();
    guard.hold();
    guard.dispose();
    advance(INPUT_GUARD_MS * 2);
    expect(changes).toEqual([]);
  });
});

describe('watchWindow', () => {
  /** A window as watchWindow sees it: events, a position that can change, and a visibility. */
  function fakeWindow() {
    const target = new EventTarget();
    const win = Object.assign(target, {
      screenX: 10,
      screenY: 20,
      document: Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState }),
    });
    return win;
  }

  it('holds on resize, on a move seen by the poll, on becoming visible and on window focus, not on an element focus', () => {
    const { clock, advance } = fakeClock();
    const guard = new InputGuard(clock, () => undefined);
    const win = fakeWindow();
    const stop = watchWindow(win, guard, clock, 100);
    const settle = () => {
      advance(INPUT_GUARD_MS);
      expect(guard.armed).toBe(true);
    };
    guard.hold();
    settle();
    win.dispatchEvent(new Event('resize'));
    expect(guard.armed).toBe(false);
    settle();
    win.screenX = 400;
    advance(100);
    expect(guard.armed).toBe(false);
    settle();
    win.document.dispatchEvent(new Event('visibilitychange'));
    expect(guard.armed).toBe(false);
    settle();
    win.dispatchEvent(new Event('focus'));
    expect(guard.armed).toBe(false);
    settle();
    // A focus event aimed at an element, seen by a capturing listener, is not the window's.
    const field = new EventTarget();
    field.addEventListener('focus', () => undefined);
    win.dispatchEvent(Object.defineProperty(new Event('focus'), 'target', { value: field }));
    expect(guard.armed).toBe(true);
    // An untrusted (scripted) press does not end a focus hold.
    win.dispatchEvent(new Event('focus'));
    win.dispatchEvent(new Event('pointerdown'));
    expect(guard.armed).toBe(false);
    stop();
    settle();
    win.dispatchEvent(new Event('resize'));
    expect(guard.armed).toBe(true);
  });
});
