// The autofocus attribute, made to hold every time. Chromium honours `autofocus` once per
// document, and not while something else has focus: the popup's second rename form, or the
// prompt's name field after an unlock form took the first autofocus, were left without focus
// (a keyboard user's Escape then went nowhere). The attribute stays, for the first time in a
// document, where the browser focuses before the first paint; after that paint this focuses
// the element if the browser did not.
import type { Ref, RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function useAutofocus<T extends HTMLElement>(enabled = true): RefObject<T> {
  const ref = useRef<T>(null);
  useEffect(() => {
    const element = ref.current;
    if (enabled && element && document.activeElement !== element) element.focus();
  }, [enabled]);
  return ref;
}

/** One ref callback that sets both refs (an element's own and the one its parent passed). */
export function bothRefs<T>(own: RefObject<T>, passed: Ref<T> | undefined): (element: T | null) => void {
  return (element) => {
    own.current = element;
    if (typeof passed === 'function') passed(element);
    else if (passed) passed.current = element;
  };
}
