// Clickjacking defence for the suggestion frame. The page controls the <iframe> element: it
// could make it transparent, cover it or slide it under the pointer so that a click meant for
// the page picks a passkey. Intersection Observer v2 (trackVisibility) tells whether the
// frame's content is really visible to the user: not occluded, faded, filtered or
// transformed. A pick counts only while the list is visible; a click that comes before the
// first observation waits for it. Where the browser lacks v2 (entries carry no isVisible),
// the pick counts, and the RP still receives only the passkey the user chose.

import { useEffect, useRef } from 'preact/hooks';

interface VisibilityEntry extends IntersectionObserverEntry {
  isVisible?: boolean;
}

type Visibility = 'unknown' | 'visible' | 'hidden' | 'unsupported';

/** Returns `whenVisible(action)`: runs the action now or at the next visible observation, or drops it. */
export function useVisibleToUser(element: HTMLElement | null): (action: () => void) => void {
  const state = useRef<Visibility>('unknown');
  const waiting = useRef<(() => void) | undefined>(undefined);

  useEffect(() => {
    if (!element) return;
    // trackVisibility needs a delay of at least 100 ms between notifications.
    const options = { threshold: [1], trackVisibility: true, delay: 100 } as IntersectionObserverInit;
    const observer = new IntersectionObserver((entries) => {
      const entry = entries[entries.length - 1] as VisibilityEntry | undefined;
      if (!entry) return;
      state.current = entry.isVisible === undefined ? 'unsupported' : entry.isVisible ? 'visible' : 'hidden';
      const action = waiting.current;
      waiting.current = undefined;
      if (action && state.current !== 'hidden') action();
    }, options);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);

  return (action) => {
    if (state.current === 'unknown') waiting.current = action;
    else if (state.current !== 'hidden') action();
  };
}
