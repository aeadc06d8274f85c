// The popup's requests to the service worker (src/protocol/popup-messages.ts). A refusal or a
// failure comes back as an Error whose message is a sentence to show the user.
//
// Requests go over the service worker's own postMessage when this page has the worker as its
// controller (worker-request.ts): the answer is a structured clone, which carries the
// 10,000-passkey list many times faster than runtime.sendMessage. Without a controller (the
// worker is being replaced), runtime messaging carries them.
import { browser } from 'wxt/browser';
import type { ManagerAnswer, ManagerRequest, ManagerRequestType, ManagerResults } from '../../src/protocol/popup-messages';
import { askWorker, controllingWorker } from '../worker-request';

function send(request: ManagerRequest): Promise<unknown> {
  const worker = controllingWorker();
  return worker ? askWorker(worker, request) : browser.runtime.sendMessage(request);
}

export async function ask<T extends ManagerRequestType>(request: Extract<ManagerRequest, { type: T }>): Promise<ManagerResults[T]> {
  let answer: ManagerAnswer<T> | undefined;
  try {
    answer = (await send(request)) as ManagerAnswer<T> | undefined;
  } catch {
    throw new Error('Latchkey’s background service is not answering. Close this window and try again.');
  }
  if (!answer) throw new Error('Latchkey’s background service did not answer.');
  if (!answer.ok) throw new Error(answer.message);
  return answer;
}
