// Who is calling, from what the service worker knows truthfully: the port's sender (origin,
// frameId) and the tab's frame tree from webNavigation.getAllFrames (docs/architecture.md#a-ceremony-end-to-end step 3).
// Never from the message.

export interface FrameInfo {
  frameId: number;
  /** -1 for the top-level frame */
  parentFrameId: number;
  url: string;
}

export interface CallerContext {
  /** the calling frame's origin (ASCII serialization; 'null' when opaque) */
  origin: string;
  /** the top-level frame's origin */
  topOrigin: string;
  /** L3's sameOriginWithAncestors: the caller is same-origin with every ancestor frame */
  sameOriginWithAncestors: boolean;
}

/**
 * The origin of a frame's document as far as its URL tells. about:blank and about:srcdoc
 * documents inherit an origin: we take their parent's, which is the creator in the case that
 * matters here (a frame created by its parent). data: documents are opaque.
 */
function urlOrigin(url: string, parentOrigin: () => string | undefined): string | undefined {
  if (url === '' || /^about:(?:blank|srcdoc)(?:[?#]|$)/.test(url)) return parentOrigin();
  try {
    // URL.origin gives 'null' for opaque origins (data:, file:, about:...) and the inner
    // origin for blob: URLs.
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The caller context, or undefined when the frame tree does not contain the calling frame
 * or one of its ancestors (it navigated away meanwhile): the ceremony is then refused.
 *
 * `ancestorOrigins` is the relay's location.ancestorOrigins, nearest first: the ancestors'
 * real origins, a sandboxed one "null". An ancestor's URL does not tell its origin (a
 * sandboxed document at https://a.example is opaque), so without that list (older Firefox) a
 * framed caller is never same-origin with its ancestors, and its top origin is a guess
 * from the URLs.
 */
export function callerContext(
  sender: { origin: string; frameId: number },
  frames: readonly FrameInfo[],
  ancestorOrigins?: readonly string[],
): CallerContext | undefined {
  const byId = new Map(frames.map((f) => [f.frameId, f]));
  const self = byId.get(sender.frameId);
  if (self === undefined) return undefined;

  const urlOrigins: string[] = [];
  let child = self;
  const seen = new Set<number>([self.frameId]);
  while (child.parentFrameId !== -1) {
    const parent = byId.get(child.parentFrameId);
    if (parent === undefined || seen.has(parent.frameId)) return undefined;
    seen.add(parent.frameId);
    const origin = originOfFrame(parent, byId, new Set(seen));
    if (origin === undefined) return undefined;
    urlOrigins.push(origin);
    child = parent;
  }
  const ancestors = ancestorOrigins ?? urlOrigins;
  // An opaque origin is never same-origin with anything, not even another 'null'.
  const opaque = sender.origin === 'null';
  return {
    origin: sender.origin,
    // the caller's own origin comes from sender, not its URL
    topOrigin: ancestors.at(-1) ?? sender.origin,
    sameOriginWithAncestors: !opaque && (ancestorOrigins !== undefined || urlOrigins.length === 0) && ancestors.every((o) => o === sender.origin),
  };
}

function originOfFrame(frame: FrameInfo, byId: ReadonlyMap<number, FrameInfo>, seen: Set<number>): string | undefined {
  return urlOrigin(frame.url, () => {
    const parent = byId.get(frame.parentFrameId);
    if (parent === undefined || seen.has(parent.frameId)) return undefined;
    seen.add(parent.frameId);
    return originOfFrame(parent, byId, seen);
  });
}
