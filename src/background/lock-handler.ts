// The lock's page handler (src/background/router.ts): answers the lock messages of
// src/protocol/lock.ts from the popup and the prompt. What re-arms the auto-lock is
// user-activity.ts's to decide.

import { isLockMessage, validateLockRequest, type LockProblem, type LockReply, type LockRequest } from '../protocol/lock';
import { VaultError, type VaultErrorCode } from '../vault';
import type { VaultLock } from './lock';
import { lockErrorMessage } from './vault-sentences';
import type { PageHandler } from './router';

const PROBLEMS: Partial<Record<VaultErrorCode, LockProblem>> = {
  'wrong-pin': 'wrong-pin',
  backoff: 'wait',
  'weak-pin': 'weak-pin',
  'already-set-up': 'already-set-up',
  'not-set-up': 'not-set-up',
};

export function lockPageHandler(lock: VaultLock, now: () => number = () => Date.now()): PageHandler {
  return (message) => {
    if (!isLockMessage(message)) return undefined;
    const request = validateLockRequest(message);
    return request.ok ? answer(lock, request.value, now) : Promise.resolve(undefined);
  };
}

async function answer(lock: VaultLock, request: LockRequest, now: () => number): Promise<LockReply> {
  try {
    switch (request.type) {
      case 'lock:status':
        break;
      case 'lock:set-up':
        await lock.setUp(request.pin);
        break;
      case 'lock:unlock':
        await lock.unlock(request.pin);
        break;
      case 'lock:lock':
        await lock.lock();
        break;
      case 'lock:change-pin':
        await lock.changePin(request.currentPin, request.newPin);
        break;
      case 'lock:reset':
        if (!(await lock.reset(request.confirmation))) {
          return { ok: false, problem: 'confirmation', message: 'Type RESET to confirm.', status: await lock.status() };
        }
        break;
    }
    return { ok: true, status: await lock.status() };
  } catch (error) {
    const problem = (error instanceof VaultError && PROBLEMS[error.code]) || 'failed';
    return { ok: false, problem, message: lockErrorMessage(error, now()), status: await lock.status() };
  }
}
