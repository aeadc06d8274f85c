// The popup's start marks (components/popup/start-marks.ts), which the bench reports beside the
// floor's: the script, the popup shown, the first animation frame.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { markPopupStart } from '../../../components/popup/start-marks';

const marked = () => performance.getEntriesByType('mark').map((m) => m.name).filter((n) => n.startsWith('latchkey:popup-'));

describe("the popup's start marks", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    performance.clearMarks();
  });

  it('marks the script at once, the popup shown when it becomes visible, and the first frame', () => {
    const listeners: Record<string, () => void> = {};
    const doc = { visibilityState: 'hidden', addEventListener: (type: string, fn: () => void) => (listeners[type] = fn) };
    let frame: (() => void) | undefined;
    vi.stubGlobal('document', doc);
    vi.stubGlobal('requestAnimationFrame', (fn: () => void) => (frame = fn));
    markPopupStart();
    expect(marked()).toEqual(['latchkey:popup-script']);
    doc.visibilityState = 'visible';
    listeners.visibilitychange!();
    frame!();
    expect(marked()).toEqual(['latchkey:popup-script', 'latchkey:popup-shown', 'latchkey:popup-frame']);
  });

  it('marks the popup shown with the script when the page is visible already (a tab)', () => {
    vi.stubGlobal('document', { visibilityState: 'visible', addEventListener: () => undefined });
    vi.stubGlobal('requestAnimationFrame', () => 0);
    markPopupStart();
    expect(marked()).toEqual(['latchkey:popup-script', 'latchkey:popup-shown']);
  });
});
