import { describe, expect, it } from 'vitest';
import { extensionPageRouter, lazyPageHandler, type PageHandler } from '../../../src/background/router';

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

describe('lazyPageHandler', () => {
  it('loads its handler at the first message it takes, once, and never for others', async () => {
    let loads = 0;
    const handler = lazyPageHandler((m) => m === 'backup' || m === 'backup again', async () => {
      loads++;
      return (message) => Promise.resolve(`${String(message)} answered`);
    });
    expect(handler('ping')).toBeUndefined();
    expect(loads).toBe(0);
    expect(await handler('backup')).toBe('backup answered');
    expect(await handler('backup again')).toBe('backup again answered');
    expect(loads).toBe(1);
  });

  it('answers with the load’s failure, and loads again at the next message', async () => {
    let loads = 0;
    const handler = lazyPageHandler(() => true, async (): Promise<PageHandler> => {
      loads++;
      if (loads === 1) throw new Error('chunk missing');
      return () => Promise.resolve('ok');
    });
    await expect(handler('backup')).rejects.toThrow('chunk missing');
    expect(await handler('backup')).toBe('ok');
    expect(loads).toBe(2);
  });
});
