// The prompt's approve button under input protection (components/input-guard.ts). It renders
// disabled from the first paint, so the guard adds no work before the prompt paints; the
// wait starts once the view is on screen. Each mount is a view shown (the first question, or
// the consent view after unlocking).
import { useEffect, useState } from 'preact/hooks';
import { InputGuard, systemClock, watchWindow } from '../input-guard';

/** A performance mark the bench reads (bench/lib/ceremony.mjs): when approve came on. */
export const APPROVE_ENABLED_MARK = 'latchkey:approve-enabled';

/** Whether approve may take a click or a key now. */
export function useApproveGuard(): boolean {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    const guard = new InputGuard(systemClock, (on) => {
      if (on) performance.mark(APPROVE_ENABLED_MARK);
      setArmed(on);
    });
    const stop = watchWindow(window, guard);
    guard.hold();
    return () => {
      stop();
      guard.dispose();
    };
  }, []);
  return armed;
}
