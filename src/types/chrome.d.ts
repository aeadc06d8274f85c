// The relay uses `chrome.*` directly (docs/architecture.md: it must not pull in webextension-polyfill).
// WXT's generated Browser namespace describes the same API.
import type { Browser } from '@wxt-dev/browser';

declare global {
  const chrome: typeof Browser;
}
