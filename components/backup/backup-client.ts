// The backup page's requests to the service worker (src/protocol/backup.ts).
import { browser } from 'wxt/browser';
import type { BackupFailure, BackupRequest, BackupResults } from '../../src/protocol/backup';

export async function askBackup<T extends BackupRequest['type']>(request: Extract<BackupRequest, { type: T }>): Promise<BackupResults[T] | BackupFailure> {
  let answer: unknown;
  try {
    answer = await browser.runtime.sendMessage(request);
  } catch {
    return { ok: false, problem: 'failed', message: 'Latchkey’s background service is not answering. Reload this page and try again.' };
  }
  if (typeof answer !== 'object' || answer === null) return { ok: false, problem: 'failed', message: 'Latchkey’s background service did not answer.' };
  return answer as BackupResults[T] | BackupFailure;
}

/** popup.html#backup, with the passkeys chosen in the list (none: all). */
export function backupPageUrl(base: string, ids: readonly string[]): string {
  return `${base}${ids.length ? `?ids=${ids.join(',')}` : ''}#backup`;
}

/** The ids the page was opened with (?ids=a,b), or null for all. */
export function selectedIds(search: string): string[] | null {
  const ids = new URLSearchParams(search).get('ids');
  return ids ? ids.split(',').filter((id) => /^[A-Za-z0-9_-]+$/.test(id)) : null;
}

/** Saves `text` as an ordinary download named `fileName` (no permission needed). */
export function download(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has its own copy once started; the URL goes after a while.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
