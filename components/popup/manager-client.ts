// The popup's requests to the service worker (src/protocol/manager.ts). A refusal or a
// failure comes back as an Error whose message is a sentence to show the user.
import { browser } from 'wxt/browser';
import type { ManagerAnswer, ManagerRequest, ManagerRequestType, ManagerResults } from '../../src/protocol/manager';

export async function ask<T extends ManagerRequestType>(request: Extract<ManagerRequest, { type: T }>): Promise<ManagerResults[T]> {
  let answer: ManagerAnswer<T> | undefined;
  try {
    answer = (await browser.runtime.sendMessage(request)) as ManagerAnswer<T> | undefined;
  } catch {
    throw new Error('Latchkey’s background service is not answering. Close this window and try again.');
  }
  if (!answer) throw new Error('Latchkey’s background service did not answer.');
  if (!answer.ok) throw new Error(answer.message);
  return answer;
}
