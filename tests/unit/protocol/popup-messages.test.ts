import { describe, expect, it } from 'vitest';
import { checkFriendlyName } from '../../../src/protocol/passkey-summary';
import { isManagerMessage, validateManagerRequest } from '../../../src/protocol/popup-messages';
import { normalizeSite } from '../../../src/protocol/settings';

describe('checkFriendlyName', () => {
  it('accepts 1 to 64 characters after trimming, and hands back the trimmed name', () => {
    expect(checkFriendlyName('  Work laptop ')).toEqual({ ok: true, value: 'Work laptop' });
    expect(checkFriendlyName('x')).toEqual({ ok: true, value: 'x' });
    expect(checkFriendlyName('a'.repeat(64))).toEqual({ ok: true, value: 'a'.repeat(64) });
  });

  it('refuses an empty or blank name with a sentence', () => {
    expect(checkFriendlyName('')).toMatchObject({ ok: false, reason: 'Give the passkey a name.' });
    expect(checkFriendlyName(' \t ')).toMatchObject({ ok: false });
  });

  it('refuses 65 characters, counting an emoji as one character', () => {
    expect(checkFriendlyName('a'.repeat(65))).toMatchObject({ ok: false, reason: expect.stringContaining('at most 64') });
    expect(checkFriendlyName('🔑'.repeat(64))).toMatchObject({ ok: true });
    expect(checkFriendlyName('🔑'.repeat(65))).toMatchObject({ ok: false });
  });
});

describe('normalizeSite', () => {
  it('takes a bare host or the host of a URL, lower-cased', () => {
    expect(normalizeSite(' Example.COM ')).toEqual({ ok: true, value: 'example.com' });
    expect(normalizeSite('https://login.example.com/path?q=1')).toEqual({ ok: true, value: 'login.example.com' });
    expect(normalizeSite('example.com/login')).toEqual({ ok: true, value: 'example.com' });
    expect(normalizeSite('localhost')).toEqual({ ok: true, value: 'localhost' });
  });

  it('refuses what is not a host', () => {
    for (const bad of ['', 'exa mple.com', '-a.example', 'a..example', 'example.com.', 'http://', 'ünïcode.example']) {
      expect(normalizeSite(bad).ok, bad).toBe(false);
    }
  });
});

describe('validateManagerRequest', () => {
  const id = 'AAECAwQFBgcICQoLDA0ODw';

  it('passes each known request, with only its known members', () => {
    expect(validateManagerRequest({ type: 'manager:list', extra: 1 })).toEqual({ ok: true, value: { type: 'manager:list' } });
    expect(validateManagerRequest({ type: 'manager:rename', credentialId: id, friendlyName: ' Phone ' })).toEqual({
      ok: true,
      value: { type: 'manager:rename', credentialId: id, friendlyName: 'Phone' },
    });
    expect(validateManagerRequest({ type: 'manager:delete', credentialId: id })).toMatchObject({ ok: true });
    expect(validateManagerRequest({ type: 'manager:restore', credentialId: id })).toMatchObject({ ok: true });
    expect(validateManagerRequest({ type: 'manager:endpoints', rpId: 'example.com' })).toMatchObject({ ok: true });
    expect(validateManagerRequest({ type: 'manager:update-settings', patch: { offerFirst: 'browser' } })).toEqual({
      ok: true,
      value: { type: 'manager:update-settings', patch: { offerFirst: 'browser' } },
    });
  });

  it('refuses malformed requests with the member at fault', () => {
    expect(validateManagerRequest({ type: 'manager:rename', credentialId: id, friendlyName: '' })).toMatchObject({ ok: false });
    expect(validateManagerRequest({ type: 'manager:rename', credentialId: 'not base64url!', friendlyName: 'x' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('credentialId'),
    });
    expect(validateManagerRequest({ type: 'manager:delete' })).toMatchObject({ ok: false });
    expect(validateManagerRequest({ type: 'manager:endpoints', rpId: 'evil.example/../x' })).toMatchObject({ ok: false });
    expect(validateManagerRequest({ type: 'manager:endpoints', rpId: 'Example.com' })).toMatchObject({ ok: false });
    expect(validateManagerRequest({ type: 'manager:update-settings', patch: { autoLockMinutes: 100000 } })).toMatchObject({ ok: false });
    expect(validateManagerRequest({ type: 'manager:wipe' })).toMatchObject({ ok: false });
    expect(validateManagerRequest(null)).toMatchObject({ ok: false });
  });

  it('recognises manager messages by their type prefix only', () => {
    expect(isManagerMessage({ type: 'manager:list' })).toBe(true);
    expect(isManagerMessage({ type: 'manager:whatever' })).toBe(true);
    expect(isManagerMessage({ type: 'lock:now' })).toBe(false);
    expect(isManagerMessage('manager:list')).toBe(false);
  });
});
