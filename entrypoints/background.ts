import { browser } from 'wxt/browser';
import { createAuthenticator } from '../src/authenticator';
import type { CredentialStore } from '../src/authenticator/ports';
import { warmUpSigning } from '../src/authenticator/warm-up';
import { Ceremonies, promptQuestionHandler, randomCeremonyId } from '../src/background/ceremonies';
import { AUTO_LOCK_ALARM, VaultLock } from '../src/background/lock';
import { lockPageHandler } from '../src/background/lock-handler';
import { managerHandler } from '../src/background/popup-handler';
import { PasskeyList } from '../src/background/passkey-list';
import { extensionPageRouter, lazyPageHandler, type PageHandler } from '../src/background/router';
import { autoLockActivity, pageActivityHandler } from '../src/background/user-activity';
import { serveWorkerMessages, type WorkerScope } from '../src/background/worker-messages';
import { colorSchemeHandler, KeepReady, ToolbarIcon, type OffscreenDocuments } from '../src/background/keep-ready';
import { injectOpenTabs, browserScripting } from '../src/background/inject';
import { getSettings, onSettingsChanged, updateSettings } from '../src/background/settings';
import { relatedOriginsFetcher } from '../src/background/well-known';
import { PROMPT_SIZE } from '../src/background/windows';
import { AUTOFILL_PAGE, AUTOFILL_PORT } from '../src/protocol/autofill';
import { isBackupMessage } from '../src/protocol/backup';
import { OFFSCREEN_PAGE } from '../src/protocol/keep-ready';
import { CEREMONY_PORT, PROMPT_PORT } from '../src/protocol/messages';
import { Vault, VaultKeys } from '../src/vault';
import { setPublicSuffixSource } from '../src/client';

/** chrome.storage.session.setAccessLevel, which webextension-polyfill's types lack. */
type SessionWithAccessLevel = { setAccessLevel?(options: { accessLevel: 'TRUSTED_CONTEXTS' }): Promise<void> };

/** chrome.offscreen and chrome.runtime.getContexts (Chromium only), which those types lack too. */
type ChromiumOnly = {
  offscreen?: {
    createDocument(parameters: { url: string; reasons: string[]; justification: string }): Promise<void>;
    closeDocument(): Promise<void>;
  };
  runtime: { getContexts?(filter: { contextTypes: ['OFFSCREEN_DOCUMENT'] }): Promise<unknown[]> };
};

function offscreenDocuments(): OffscreenDocuments | undefined {
  const { offscreen, runtime } = browser as unknown as ChromiumOnly;
  const getContexts = runtime.getContexts?.bind(runtime);
  if (!offscreen || !getContexts) return undefined;
  return {
    isOpen: async () => (await getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length > 0,
    create: (parameters) => offscreen.createDocument(parameters),
    close: () => offscreen.closeDocument(),
  };
}

export default defineBackground(() => {
  // The RP ID checks' Public Suffix List, read from the build's file at the first ceremony.
  setPublicSuffixSource(async () => {
    const response = await fetch('/public-suffix-list.txt');
    if (!response.ok) throw new Error(`public-suffix-list.txt: ${response.status}`);
    return response.text();
  });
  // The vault lock (src/background/lock.ts): the unlocked DEK in storage.session, readable by
  // trusted contexts only (docs/security.md#key-hierarchy); auto-lock by chrome.alarms.
  void (browser.storage.session as SessionWithAccessLevel).setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' });
  let vaultKeys: Promise<VaultKeys> | undefined;
  const lock = new VaultLock({
    keys: () => (vaultKeys ??= VaultKeys.open().catch((error: unknown) => {
      vaultKeys = undefined;
      throw error;
    })),
    session: {
      get: async (key) => (await browser.storage.session.get(key))[key],
      set: (key, value) => browser.storage.session.set({ [key]: value }),
      remove: (key) => browser.storage.session.remove(key),
    },
    alarm: {
      schedule: async (minutes) => browser.alarms.create(AUTO_LOCK_ALARM, { delayInMinutes: minutes }),
      clear: async () => void (await browser.alarms.clear(AUTO_LOCK_ALARM)),
    },
    autoLockMinutes: async () => (await getSettings()).autoLockMinutes,
  });

  // What re-arms the auto-lock (src/background/user-activity.ts decides what is use).
  const lockActivity = autoLockActivity(lock);

  let vault: Promise<Vault> | undefined;
  /**
   * The vault as the authenticator uses it, with a sign-in's bookkeeping (lastUsedAt) written
   * just after the assertion is handed back rather than before: the page is answered a few
   * milliseconds sooner. IndexedDB runs transactions on a store in the order they were made, so
   * the next ceremony or the passkey manager reads the write; if the worker died in between,
   * only lastUsedAt is lost. Every other write is reported to the popup's list.
   */
  const answerFirst = (store: Vault): CredentialStore => ({
    listByRpId: (rpId) => store.listByRpId(rpId),
    get: (credentialId) => store.get(credentialId),
    getMany: (credentialIds) => store.getMany(credentialIds),
    create: async (record, privateKey, supersedes, secrets) => {
      passkeys.follow(await store.create(record, privateKey, supersedes, secrets));
    },
    withPrivateKey: (credentialId, use) => store.withPrivateKey(credentialId, use),
    withPrfSecret: (credentialId, userVerified, use) => store.withPrfSecret(credentialId, userVerified, use),
    readLargeBlob: (credentialId) => store.readLargeBlob(credentialId),
    writeLargeBlob: async (credentialId, blob) => {
      passkeys.follow(await store.writeLargeBlob(credentialId, blob));
    },
    // A counter must be written before the assertion that carries it: this one is awaited.
    countSignIn: async (credentialId, at) => {
      const { signCount, change } = await store.countSignIn(credentialId, at);
      passkeys.follow(change);
      return { signCount };
    },
    recordSignIn: async (credentialId, at) => {
      setTimeout(() => void store.recordSignIn(credentialId, at).then((change) => passkeys.follow(change), () => undefined), 0);
    },
    siteKnows: async (rpId, ids) => passkeys.follow(await store.siteKnows(rpId, ids)),
    hideUnknown: async (rpId, id) => passkeys.follow(await store.hideUnknown(rpId, id)),
    acceptOnly: async (rpId, userHandle, ids) => passkeys.follow(await store.acceptOnly(rpId, userHandle, ids)),
    updateUser: async (rpId, userHandle, details, friendlyName) => passkeys.follow(await store.updateUser(rpId, userHandle, details, friendlyName)),
  });
  const openVault = () => (vault ??= Vault.open(lock).catch((error: unknown) => {
    vault = undefined;
    throw error;
  }));
  // The popup's ordered list: it follows a ceremony's write, and is saved once writes pause,
  // so the next popup, usually on a new worker, reads one snapshot instead of every passkey.
  const passkeys = new PasskeyList(openVault);
  // Warm-up: a ceremony is the usual reason the worker starts, and it needs the vault open and
  // the lock state read (storage.session, the DEK imported). Both start now, beside the
  // connect that woke the worker, rather than after it.
  void lock.isUnlocked();
  void openVault().catch(() => undefined);

  const ceremonies = new Ceremonies({
    promptUrl: browser.runtime.getURL('/prompt.html'),
    randomId: randomCeremonyId,
    frames: async (tabId) => (await browser.webNavigation.getAllFrames({ tabId })) ?? [],
    authenticator: async (ui) => {
      // UV is always available: a vault without a PIN is set up in the prompt first.
      return createAuthenticator(answerFirst(await openVault()), ui, undefined, { userVerification: true });
    },
    warmUp: () => void warmUpSigning(),
    lock,
    activity: lockActivity,
    ceremonySettings: async () => {
      const { neverSites, offerFirst } = await getSettings();
      return { neverSites, browserFirst: offerFirst === 'browser' };
    },
    relatedOrigins: relatedOriginsFetcher({ fetch: (input, init) => fetch(input, init), now: () => Date.now() }),
    // The suggestion frame is web-accessible with a dynamic URL, so its host is not always the
    // extension id: it is recognised by scheme, path and the sending extension.
    isAutofillFrame: (sender) => {
      if (sender.id !== browser.runtime.id || !sender.url) return false;
      const url = new URL(sender.url);
      return url.protocol === new URL(browser.runtime.getURL('/')).protocol && url.pathname === AUTOFILL_PAGE;
    },
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

  // Keep Latchkey ready (src/background/keep-ready.ts): the offscreen document follows the
  // setting, checked at every worker start (it is already open, except after the browser
  // started or the setting changed). onStartup has a listener so the worker, and with it the
  // document, starts with the browser.
  const keepReady = new KeepReady(offscreenDocuments(), browser.runtime.getURL(OFFSCREEN_PAGE));
  const applyKeepReady = (wanted: boolean) => void keepReady.apply(wanted).catch((error: unknown) => console.warn('Keep Latchkey ready:', error));
  void getSettings().then(({ keepReady: wanted }) => applyKeepReady(wanted));
  onSettingsChanged(({ keepReady: wanted }) => applyKeepReady(wanted));
  browser.runtime.onStartup.addListener(() => undefined);
  // Tabs open before this install or update get the relay and the page script (src/background/inject.ts).
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install' || reason === 'update') void injectOpenTabs(browserScripting()).catch((error: unknown) => console.warn('Injecting into open tabs:', error));
  });
  // The toolbar icon for the colour scheme, set again after the browser reset it (a restart).
  const toolbarIcon = new ToolbarIcon((path) => browser.action.setIcon({ path }), {
    lastScheme: async () => {
      const { toolbarDark } = await browser.storage.local.get('toolbarDark');
      return typeof toolbarDark === 'boolean' ? toolbarDark : undefined;
    },
    rememberScheme: (dark) => browser.storage.local.set({ toolbarDark: dark }),
    setThisSession: async () => (await browser.storage.session.get('toolbarIconSet')).toolbarIconSet === true,
    markSetThisSession: () => browser.storage.session.set({ toolbarIconSet: true }),
  });
  void toolbarIcon.restore().catch((error: unknown) => console.warn('Toolbar icon:', error));

  // Requests from Latchkey's own pages; each feature adds its handler here.
  const pageHandlers: PageHandler[] = [
    promptQuestionHandler(ceremonies),
    pageActivityHandler(lockActivity),
    colorSchemeHandler(toolbarIcon),
    lockPageHandler(lock),
    managerHandler({
      vault: openVault,
      isUnlocked: () => lock.isUnlocked(),
      passkeys,
      getSettings,
      updateSettings,
      hasOriginPermission: (origin) => browser.permissions.contains({ origins: [origin] }),
      fetch: (input, init) => fetch(input, init),
    }),
    // Backup (docs/backup.md): export after the PIN, preview and import, the "no backup" reminder.
    // Its code (the formats, PKCS #8, Argon2id) is loaded at the first backup message.
    lazyPageHandler(isBackupMessage, async () => (await import('../src/background/backup')).backupHandler({
      vault: openVault,
      isUnlocked: () => lock.isUnlocked(),
      verifyPin: (pin) => lock.verifyUser(pin),
      storage: {
        get: async (key) => (await browser.storage.local.get(key))[key],
        set: (key, value) => browser.storage.local.set({ [key]: value }),
      },
      exporter: { rpId: new URL(browser.runtime.getURL('/')).host, displayName: 'Latchkey' },
      follow: (change) => passkeys.follow(change),
    })),
  ];

  // Listeners are registered synchronously at top level, so a ceremony wakes the worker.
  browser.runtime.onConnect.addListener((port) => {
    if (port.name === CEREMONY_PORT) ceremonies.acceptRelay(port);
    else if (port.name === PROMPT_PORT) ceremonies.acceptPrompt(port);
    else if (port.name === AUTOFILL_PORT) ceremonies.acceptAutofill(port);
  });
  // A prompt window closed before its script connected has no port to lose: its removal ends
  // the question on screen.
  browser.windows.onRemoved.addListener((windowId) => ceremonies.windowRemoved(windowId));
  browser.runtime.onMessage.addListener(extensionPageRouter(browser.runtime.getURL('/'), pageHandlers));
  // The same requests over the worker's postMessage: the popup's list is a structured clone there.
  serveWorkerMessages(self as unknown as WorkerScope, pageHandlers);
  browser.alarms.onAlarm.addListener((alarm) => void lock.onAlarm(alarm.name));
  browser.idle.onStateChanged.addListener((state) => void lock.onIdleState(state));
});
