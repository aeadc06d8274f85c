import { describe, expect, it } from 'vitest';
import { injectOpenTabs, PAGE_SCRIPT_FILE, RELAY_FILE, type Scripting, type ScriptFile, type World } from '../../../src/background/inject';

/**
 * Frames of one tab as the injection sees them: each frame's isolated world of this instance
 * (its `latchkeyRelay`), and whether an earlier instance's relay is there (which makes a fresh
 * relay start as 'successor'). Injected files run the relay's start as src/relay/lifecycle.ts does.
 */
function tab(frames: { relay?: 'fresh'; orphan?: boolean }[]) {
  const worlds = frames.map((f) => ({ latchkeyRelay: f.relay as string | undefined, orphan: !!f.orphan, pageScripts: 0 }));
  const injected: [ScriptFile, World, number[]][] = [];
  const scripting: Scripting = {
    tabIds: async () => [1, 2],
    async file(tabId, file, world, frameIds) {
      if (tabId === 2) throw new Error('Cannot access contents of the page.');
      const ids = frameIds ?? worlds.map((_, i) => i);
      injected.push([file, world, ids]);
      for (const id of ids) {
        const w = worlds[id]!;
        if (file === RELAY_FILE) w.latchkeyRelay ??= w.orphan ? 'successor' : 'fresh';
        else w.pageScripts++;
      }
    },
    async run<T>(tabId: number, func: () => T, frameIds?: number[]) {
      if (tabId === 2) throw new Error('Cannot access contents of the page.');
      return (frameIds ?? worlds.map((_, i) => i)).map((frameId) => {
        const scope = globalThis as { latchkeyRelay?: string };
        scope.latchkeyRelay = worlds[frameId]!.latchkeyRelay;
        const result = func();
        worlds[frameId]!.latchkeyRelay = scope.latchkeyRelay;
        delete scope.latchkeyRelay;
        return { frameId, result };
      });
    },
  };
  return { scripting, worlds, injected };
}

describe('injecting into tabs open before install or update', () => {
  it('puts the relay, then the page script, into frames without them, and skips a tab it may not script', async () => {
    const t = tab([{}, {}]);
    await injectOpenTabs(t.scripting);
    expect(t.injected).toEqual([
      [RELAY_FILE, 'ISOLATED', [0, 1]],
      [PAGE_SCRIPT_FILE, 'MAIN', [0, 1]],
    ]);
  });

  it('leaves a frame where this instance’s relay runs alone, and keeps the page script an earlier instance installed', async () => {
    const t = tab([{ relay: 'fresh' }, { orphan: true }, {}]);
    await injectOpenTabs(t.scripting);
    expect(t.injected).toEqual([
      [RELAY_FILE, 'ISOLATED', [1, 2]],
      [PAGE_SCRIPT_FILE, 'MAIN', [2]],
    ]);
  });

  it('injects nothing twice when it runs again', async () => {
    const t = tab([{}, { orphan: true }]);
    await injectOpenTabs(t.scripting);
    await injectOpenTabs(t.scripting);
    expect(t.worlds.map((w) => w.pageScripts)).toEqual([1, 0]);
    expect(t.injected).toHaveLength(2);
  });
});
