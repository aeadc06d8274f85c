import { browser } from 'wxt/browser';
import { createAuthenticator } from '../src/authenticator';
import { Ceremonies, randomCeremonyId } from '../src/background/ceremonies';
import { managerHandler } from '../src/background/manager';
import { extensionPageRouter, type PageHandler } from '../src/background/router';
import { getSettings, updateSettings } from '../src/background/settings';
import { PROMPT_SIZE } from '../src/background/windows';
import { CEREMONY_PORT, PROMPT_PORT } from '../src/protocol/messages';
import { Vault } from '../src/vault';

export default defineBackground(() => {
  let vault: Promise<Vault> | undefined;
  const openVault = () => (vault ??= Vault.open().catch((error: unknown) => {
    vault = undefined;
    throw error;
  }));

  const ceremonies = new Ceremonies({
    promptUrl: browser.runtime.getURL('/prompt.html'),
    randomId: randomCeremonyId,
    frames: async (tabId) => (await browser.webNavigation.getAllFrames({ tabId })) ?? [],
    authenticator: async (ui) => createAuthenticator(await openVault(), ui),
    windows: {
      async open(ceremonyId) {
        const created = await browser.windows.create({
          url: browser.runtime.getURL(`/prompt.html?ceremony=${encodeURIComponent(ceremonyId)}`),
          type: 'popup',
          focused: true,
          ...PROMPT_SIZE,
        });
        if (created?.id === undefined) throw new Error('The prompt window has no id.');
        return created.id;
      },
      async close(windowId) {
        await browser.windows.remove(windowId);
      },
      async focusTab({ tabId, windowId }) {
        await browser.windows.update(windowId, { focused: true });
        await browser.tabs.update(tabId, { active: true });
      },
    },
  });

  // Requests from Latchkey's own pages; each feature adds its handler here.
  const pageHandlers: PageHandler[] = [
    managerHandler({
      vault: openVault,
      getSettings,
      updateSettings,
      hasOriginPermission: (origin) => browser.permissions.contains({ origins: [origin] }),
      fetch: (input, init) => fetch(input, init),
    }),
  ];

  // Listeners are registered synchronously at top level, so a ceremony wakes the worker.
  browser.runtime.onConnect.addListener((port) => {
    if (port.name === CEREMONY_PORT) ceremonies.acceptRelay(port);
    else if (port.name === PROMPT_PORT) ceremonies.acceptPrompt(port);
  });
  browser.runtime.onMessage.addListener(extensionPageRouter(browser.runtime.getURL('/'), pageHandlers));
});
