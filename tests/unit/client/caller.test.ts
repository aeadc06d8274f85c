import { describe, expect, it } from 'vitest';
import { callerContext, type FrameInfo } from '../../../src/client/caller';

const top: FrameInfo = { frameId: 0, parentFrameId: -1, url: 'https://shop.example/checkout' };

describe('caller context', () => {
  it('is same-origin for the top frame, with itself as top origin', () => {
    expect(callerContext({ origin: 'https://shop.example', frameId: 0 }, [top])).toEqual({
      origin: 'https://shop.example',
      topOrigin: 'https://shop.example',
      sameOriginWithAncestors: true,
    });
  });

  it('is same-origin for a same-origin iframe', () => {
    const frames = [top, { frameId: 3, parentFrameId: 0, url: 'https://shop.example/frame' }];
    expect(callerContext({ origin: 'https://shop.example', frameId: 3 }, frames, ['https://shop.example'])?.sameOriginWithAncestors).toBe(true);
  });

  it('is cross-origin for a payment iframe, with the top frame as top origin', () => {
    const frames = [top, { frameId: 5, parentFrameId: 0, url: 'https://pay.example/embed?x=1' }];
    expect(callerContext({ origin: 'https://pay.example', frameId: 5 }, frames)).toEqual({
      origin: 'https://pay.example',
      topOrigin: 'https://shop.example',
      sameOriginWithAncestors: false,
    });
  });

  it('is cross-origin when a middle ancestor differs, even if the top matches', () => {
    const frames = [
      top,
      { frameId: 1, parentFrameId: 0, url: 'https://ads.example/' },
      { frameId: 2, parentFrameId: 1, url: 'https://shop.example/inner' },
    ];
    const c = callerContext({ origin: 'https://shop.example', frameId: 2 }, frames);
    expect(c?.sameOriginWithAncestors).toBe(false);
    expect(c?.topOrigin).toBe('https://shop.example');
  });

  it("takes a sandboxed ancestor's origin from location.ancestorOrigins ('null'), not from its https URL", () => {
    const frames = [top, { frameId: 1, parentFrameId: 0, url: 'https://shop.example/sandboxed' }, { frameId: 2, parentFrameId: 1, url: 'https://shop.example/inner' }];
    const c = callerContext({ origin: 'https://shop.example', frameId: 2 }, frames, ['null', 'https://shop.example']);
    expect(c).toEqual({ origin: 'https://shop.example', topOrigin: 'https://shop.example', sameOriginWithAncestors: false });
  });

  it('takes the top origin from location.ancestorOrigins', () => {
    const frames = [top, { frameId: 5, parentFrameId: 0, url: 'https://pay.example/embed' }];
    expect(callerContext({ origin: 'https://pay.example', frameId: 5 }, frames, ['https://top.example'])?.topOrigin).toBe('https://top.example');
  });

  it('never counts a framed caller as same-origin with ancestors whose origins are unknown (no ancestorOrigins: Firefox)', () => {
    const frames = [top, { frameId: 3, parentFrameId: 0, url: 'https://shop.example/frame' }];
    expect(callerContext({ origin: 'https://shop.example', frameId: 3 }, frames)?.sameOriginWithAncestors).toBe(false);
    expect(callerContext({ origin: 'https://shop.example', frameId: 0 }, [top])?.sameOriginWithAncestors).toBe(true);
  });

  it("takes an about:blank or srcdoc ancestor's origin from its parent", () => {
    const frames = [
      top,
      { frameId: 1, parentFrameId: 0, url: 'about:blank' },
      { frameId: 2, parentFrameId: 1, url: 'about:srcdoc' },
      { frameId: 3, parentFrameId: 2, url: 'https://shop.example/x' },
    ];
    expect(callerContext({ origin: 'https://shop.example', frameId: 3 }, frames)?.topOrigin).toBe('https://shop.example');
  });

  it("uses sender.origin for the calling about:blank frame itself, not its URL", () => {
    const frames = [top, { frameId: 4, parentFrameId: 0, url: 'about:blank' }];
    // An about:blank frame created by another origin's script: the sender knows its real origin.
    const c = callerContext({ origin: 'https://evil.example', frameId: 4 }, frames);
    expect(c).toEqual({ origin: 'https://evil.example', topOrigin: 'https://shop.example', sameOriginWithAncestors: false });
  });

  it('treats a data: ancestor as opaque, so never same-origin', () => {
    const frames = [top, { frameId: 1, parentFrameId: 0, url: 'data:text/html,<iframe>' }, { frameId: 2, parentFrameId: 1, url: 'https://shop.example/' }];
    expect(callerContext({ origin: 'https://shop.example', frameId: 2 }, frames)?.sameOriginWithAncestors).toBe(false);
  });

  it('is never same-origin for an opaque caller', () => {
    const frames = [{ frameId: 0, parentFrameId: -1, url: 'data:text/html,x' }];
    expect(callerContext({ origin: 'null', frameId: 0 }, frames)?.sameOriginWithAncestors).toBe(false);
  });

  it('gives up when the calling frame or an ancestor is missing from the tree', () => {
    expect(callerContext({ origin: 'https://shop.example', frameId: 9 }, [top])).toBeUndefined();
    expect(callerContext({ origin: 'https://shop.example', frameId: 2 }, [{ frameId: 2, parentFrameId: 1, url: 'https://shop.example/' }])).toBeUndefined();
  });

  it('gives up on a cycle in the frame tree', () => {
    const frames = [
      { frameId: 1, parentFrameId: 2, url: 'https://a.example/' },
      { frameId: 2, parentFrameId: 1, url: 'https://a.example/' },
    ];
    expect(callerContext({ origin: 'https://a.example', frameId: 1 }, frames)).toBeUndefined();
  });
});
