// Input protection for the suggestion frame. The page controls the frame's host element: it
// could fade or cover it, slide it under the pointer, or focus the frame so that the user's
// next Enter picks a passkey. So a passkey entry takes a pick only once the frame has been
// visible and still for SETTLE_MS: after it is shown, moved or resized, or focused by anything
// but a trusted press inside it, the entries carry `disabled` until then.
// - Visible: Intersection Observer v2 (trackVisibility) says whether the frame's content is
//   really visible to the user (not occluded, faded, filtered or transformed). Where the
//   browser lacks it (Firefox: entries carry no isVisible), the wait still applies and the
//   pick is reported unseen, so the service worker has it confirmed in the prompt window.
// - Still: the relay tells the frame when its host's box changes (AUTOFILL_MOVED). Anyone can
//   post that message, so it only ever makes the frame wait; the frame alone ends the wait.

import { useEffect, useRef, useState } from 'preact/hooks';
import { AUTOFILL_MOVED } from '../../src/protocol/autofill';

/** How long the frame must be visible and still before a passkey entry takes a pick. */
export const SETTLE_MS = 500;

interface VisibilityEntry extends IntersectionObserverEntry {
  isVisible?: boolean;
}

type Visibility = 'unknown' | 'visible' | 'hidden' | 'unsupported';

/** `ready`: entries may take a pick now. `seen()`: the browser proved the frame visible. */
export function useInputGuard(element: HTMLElement | null): { ready: boolean; seen: () => boolean } {
  const [ready, setReady] = useState(false);
  const visibility = useRef<Visibility>('unknown');

  useEffect(() => {
    if (!element) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pressed = false;
    const wait = () => {
      clearTimeout(timer);
      setReady(false);
      if (visibility.current === 'visible' || visibility.current === 'unsupported') {
        timer = setTimeout(() => setReady(true), SETTLE_MS);
      }
    };
    // trackVisibility needs a delay of at least 100 ms between notifications.
    const options = { threshold: [1], trackVisibility: true, delay: 100 } as IntersectionObserverInit;
    const observer = new IntersectionObserver((entries) => {
      const entry = entries[entries.length - 1] as VisibilityEntry | undefined;
      if (!entry) return;
      visibility.current = entry.isVisible === undefined ? 'unsupported' : entry.isVisible ? 'visible' : 'hidden';
      wait();
    }, options);
    observer.observe(element);
    const onMessage = (event: MessageEvent) => {
      if (event.data === AUTOFILL_MOVED) wait();
    };
    // A press in the frame focuses it after pointerdown; any other focus (a script's
    // frames[i].focus(), Tab, the field's Down arrow) makes the entries wait.
    const onPointerDown = (event: PointerEvent) => {
      pressed = event.isTrusted;
    };
    // Only the frame's own focus: an entry's focus events reach window listeners too.
    const onFocus = (event: Event) => {
      if (event.target !== window) return;
      if (!pressed) wait();
      pressed = false;
    };
    const onBlur = (event: Event) => {
      if (event.target === window) pressed = false;
    };
    const listeners: [string, EventListener][] = [
      ['message', onMessage as EventListener],
      ['resize', wait],
      ['pointerdown', onPointerDown as EventListener],
      ['focus', onFocus],
      ['blur', onBlur],
    ];
    for (const [type, listener] of listeners) addEventListener(type, listener, true);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
      for (const [type, listener] of listeners) removeEventListener(type, listener, true);
    };
  }, [element]);

  return { ready, seen: () => visibility.current === 'visible' };
}
