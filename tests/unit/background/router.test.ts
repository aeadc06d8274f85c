import { describe, expect, it } from 'vitest';
import { extensionPageRouter } from '../../../src/background/router';

const base = 'chrome-extension://abc/';
const router = extensionPageRouter(base, [
  (message) => (message === 'ping' ? Promise.resolve('pong') : undefined),
  (message) => (message === 'time' ? Promise.resolve(42) : undefined),
]);

describe('extensionPageRouter', () => {
  it('answers an extension page with the first handler that knows the message', async () => {
    expect(await router('ping', { url: `${base}popup.html` })).toBe('pong');
    expect(await router('time', { url: `${base}popup.html` })).toBe(42);
  });

  it('leaves unknown messages unanswered', () => {
    expect(router('other', { url: `${base}popup.html` })).toBeUndefined();
  });

  it('never answers a web page, although content scripts share the extension id', () => {
    expect(router('ping', { url: 'https://evil.example/', tab: {} })).toBeUndefined();
    expect(router('ping', { url: 'chrome-extension://abcdef/popup.html' })).toBeUndefined();
    expect(router('ping', {})).toBeUndefined();
  });
});
