import { describe, expect, it } from 'vitest';
import { colorSchemeHandler, KeepReady, OFFSCREEN_JUSTIFICATION, ToolbarIcon, toolbarIconPaths, type OffscreenDocuments, type ToolbarIconStore } from '../../../src/background/keep-ready';

/** chrome.offscreen as Chromium has it: one document at most, and a create that takes a while. */
function fakeDocuments() {
  const calls: string[] = [];
  let open = false;
  const documents: OffscreenDocuments = {
    isOpen: async () => open,
    async create(parameters) {
      calls.push(`create ${parameters.url} ${parameters.reasons.join()}`);
      await new Promise((r) => setTimeout(r, 5));
      if (open) throw new Error('Only a single offscreen document may be created.');
      open = true;
    },
    async close() {
      calls.push('close');
      if (!open) throw new Error('No current offscreen document.');
      open = false;
    },
  };
  return { documents, calls, isOpen: () => open };
}

describe('KeepReady', () => {
  it('opens the document when wanted and none is open, with MATCH_MEDIA as its reason', async () => {
    const fake = fakeDocuments();
    await new KeepReady(fake.documents, 'chrome-extension://id/offscreen.html').apply(true);
    expect(fake.calls).toEqual(['create chrome-extension://id/offscreen.html MATCH_MEDIA']);
    expect(fake.isOpen()).toBe(true);
  });

  it('leaves an open document alone, as every new worker finds it', async () => {
    const fake = fakeDocuments();
    await new KeepReady(fake.documents, 'u').apply(true);
    await new KeepReady(fake.documents, 'u').apply(true);
    expect(fake.calls).toHaveLength(1);
  });

  it('applies quick changes in order: two opens never race, and off-on-off ends closed', async () => {
    const fake = fakeDocuments();
    const keepReady = new KeepReady(fake.documents, 'u');
    await Promise.all([keepReady.apply(true), keepReady.apply(true)]);
    expect(fake.calls).toEqual(['create u MATCH_MEDIA']);
    await Promise.all([keepReady.apply(false), keepReady.apply(true), keepReady.apply(false)]);
    expect(fake.calls.slice(1)).toEqual(['close', 'create u MATCH_MEDIA', 'close']);
    expect(fake.isOpen()).toBe(false);
  });

  it('closes the document when the setting is off, and does nothing when none is open', async () => {
    const fake = fakeDocuments();
    const keepReady = new KeepReady(fake.documents, 'u');
    await keepReady.apply(false);
    expect(fake.calls).toEqual([]);
    await keepReady.apply(true);
    await keepReady.apply(false);
    expect(fake.calls).toEqual(['create u MATCH_MEDIA', 'close']);
  });

  it('passes a failure on to its caller and still applies the next call', async () => {
    const fake = fakeDocuments();
    const failing: OffscreenDocuments = { ...fake.documents, create: () => Promise.reject(new Error('quota')) };
    const keepReady = new KeepReady(failing, 'u');
    await expect(keepReady.apply(true)).rejects.toThrow('quota');
    await expect(keepReady.apply(false)).resolves.toBeUndefined();
  });

  it('does nothing in a browser without offscreen documents (Firefox)', async () => {
    await expect(new KeepReady(undefined, 'u').apply(true)).resolves.toBeUndefined();
  });

  it('says in its justification what the document is kept for, and how to turn it off', () => {
    expect(OFFSCREEN_JUSTIFICATION).toMatch(/toolbar icon/);
    expect(OFFSCREEN_JUSTIFICATION).toMatch(/keeps Latchkey’s process/);
    expect(OFFSCREEN_JUSTIFICATION).toMatch(/Keep Latchkey ready/);
  });
});

describe('the toolbar icon', () => {
  it('is a light key on a dark toolbar and a dark key on a light one', () => {
    expect(toolbarIconPaths(true)).toEqual({ 16: '/icon/glyph-light-16.png', 32: '/icon/glyph-light-32.png' });
    expect(toolbarIconPaths(false)).toEqual({ 16: '/icon/glyph-dark-16.png', 32: '/icon/glyph-dark-32.png' });
  });

  it('is set from the colour-scheme message and nothing else', async () => {
    const { icon, set } = toolbarIcon();
    const handle = colorSchemeHandler(icon);
    await expect(handle({ type: 'keep-ready:color-scheme', dark: true })).resolves.toEqual({ ok: true });
    expect(set).toEqual([toolbarIconPaths(true)]);
    expect(handle({ type: 'keep-ready:color-scheme', dark: 'yes' })).toBeUndefined();
    expect(handle({ type: 'manager:list' })).toBeUndefined();
    expect(handle(null)).toBeUndefined();
    expect(set).toHaveLength(1);
  });

  it('is set again from the last reported scheme in a new browser session, once', async () => {
    const local: { dark?: boolean } = {};
    const first = toolbarIcon(local);
    await first.icon.restore();
    expect(first.set, 'nothing reported yet: the manifest’s icon stays').toEqual([]);
    await first.icon.follow(true);
    expect(local.dark).toBe(true);

    // The browser restarts (storage.session is empty) with Keep Latchkey ready off: no document reports.
    const restarted = toolbarIcon(local);
    await restarted.icon.restore();
    expect(restarted.set).toEqual([toolbarIconPaths(true)]);
    // A later worker in the same session leaves the icon as it is.
    const later = toolbarIcon(local, restarted.session);
    await later.icon.restore();
    expect(later.set).toEqual([]);
  });

  it('lets a scheme reported in this session win over the remembered one', async () => {
    const local = { dark: false };
    const { icon, set } = toolbarIcon(local);
    const restoring = icon.restore();
    await icon.follow(true);
    await restoring;
    expect(set.at(-1)).toEqual(toolbarIconPaths(true));
    expect(local.dark).toBe(true);
  });
});

/** A ToolbarIcon over in-memory stores: `local` outlives a browser restart, `session` does not. */
function toolbarIcon(local: { dark?: boolean } = {}, session: { set?: boolean } = {}) {
  const set: unknown[] = [];
  const store: ToolbarIconStore = {
    lastScheme: async () => local.dark,
    rememberScheme: async (dark) => void (local.dark = dark),
    setThisSession: async () => session.set === true,
    markSetThisSession: async () => void (session.set = true),
  };
  return { icon: new ToolbarIcon(async (path) => void set.push(path), store), set, session };
}
