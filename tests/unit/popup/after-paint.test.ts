import { afterEach, describe, expect, it, vi } from 'vitest';

describe('afterPaint', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('runs each callback once, in order, after its frame, and makes no MessageChannel inside a frame', async () => {
    let inFrame = false;
    const madeInFrame: boolean[] = [];
    class CountedChannel extends MessageChannel {
      constructor() {
        super();
        madeInFrame.push(inFrame);
      }
    }
    const frames: (() => void)[] = [];
    vi.stubGlobal('MessageChannel', CountedChannel);
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback));
    const paint = () => {
      inFrame = true;
      frames.splice(0).forEach((callback) => callback());
      inFrame = false;
    };
    const { afterPaint } = await import('../../../components/popup/after-paint');
    const ran: string[] = [];
    afterPaint(() => ran.push('a'));
    afterPaint(() => ran.push('b'));
    expect(ran).toEqual([]);
    paint();
    expect(ran).toEqual([]); // not inside the frame: in a task after it
    await vi.waitFor(() => expect(ran).toEqual(['a', 'b']));
    afterPaint(() => ran.push('c'));
    paint();
    await vi.waitFor(() => expect(ran).toEqual(['a', 'b', 'c']));
    expect(madeInFrame).toEqual([false]);
  });
});
