import { describe, expect, it } from 'vitest';
import { relatedOriginsFetcher, WELL_KNOWN_MAX_BYTES } from '../../../src/background/well-known';

type Call = { url: string; init: RequestInit | undefined };

function fakeFetch(respond: (url: string, init: RequestInit | undefined) => Promise<Response> | Response) {
  const calls: Call[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    return respond(String(input), init);
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', ...headers } });

describe('relatedOriginsFetcher', () => {
  it('fetches https://<rpId>/.well-known/webauthn without credentials, referrer or redirects, and returns its origins', async () => {
    const { calls, fetch } = fakeFetch(() => json({ origins: ['https://example.co.uk'] }));
    const related = relatedOriginsFetcher({ fetch, now: () => 0 });
    expect(await related('example.com')).toEqual(['https://example.co.uk']);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://example.com/.well-known/webauthn');
    expect(calls[0]!.init).toMatchObject({ credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'error' });
    expect(calls[0]!.init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('accepts application/json with parameters', async () => {
    const { fetch } = fakeFetch(() => json({ origins: ['https://a.example'] }, { 'content-type': 'application/json; charset=utf-8' }));
    expect(await relatedOriginsFetcher({ fetch, now: () => 0 })('example.com')).toEqual(['https://a.example']);
  });

  it.each([
    ['a 404', () => new Response('{"origins":[]}', { status: 404, headers: { 'content-type': 'application/json' } })],
    ['a redirect status', () => new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } })],
    ['text/html', () => new Response('{"origins":["https://a.example"]}', { status: 200, headers: { 'content-type': 'text/html' } })],
    ['a network error (or a refused redirect)', () => Promise.reject(new TypeError('Failed to fetch'))],
    ['a malformed document', () => json({ origins: 'https://a.example' })],
    ['bad UTF-8', () => new Response(new Uint8Array([0x7b, 0xff, 0x7d]), { status: 200, headers: { 'content-type': 'application/json' } })],
  ])('gives up on %s', async (_, respond) => {
    const { fetch } = fakeFetch(respond);
    expect(await relatedOriginsFetcher({ fetch, now: () => 0 })('example.com')).toBeUndefined();
  });

  it('gives up on a document over the size limit, declared or streamed', async () => {
    const big = JSON.stringify({ origins: ['https://a.example'], padding: 'x'.repeat(WELL_KNOWN_MAX_BYTES) });
    const declared = fakeFetch(() => new Response(big, { status: 200, headers: { 'content-type': 'application/json', 'content-length': String(big.length) } }));
    expect(await relatedOriginsFetcher({ fetch: declared.fetch, now: () => 0 })('example.com')).toBeUndefined();
    const streamed = fakeFetch(() => new Response(new Blob([big]).stream(), { status: 200, headers: { 'content-type': 'application/json' } }));
    expect(await relatedOriginsFetcher({ fetch: streamed.fetch, now: () => 0 })('example.com')).toBeUndefined();
    const small = fakeFetch(() => json({ origins: ['https://a.example'] }));
    expect(await relatedOriginsFetcher({ fetch: small.fetch, now: () => 0, maxBytes: 10 })('example.com')).toBeUndefined();
  });

  it('gives up when the server does not answer in time', async () => {
    const { fetch } = fakeFetch(
      (_, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    const started = Date.now();
    expect(await relatedOriginsFetcher({ fetch, now: () => 0, timeoutMs: 50 })('example.com')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('caches an answer, failures included, for a while, and shares a fetch in flight', async () => {
    let now = 0;
    let status = 200;
    const { calls, fetch } = fakeFetch(() =>
      status === 200 ? json({ origins: ['https://a.example'] }) : new Response('', { status }),
    );
    const related = relatedOriginsFetcher({ fetch, now: () => now, cacheMs: 1000 });
    const [first, second] = await Promise.all([related('example.com'), related('example.com')]);
    expect(first).toEqual(['https://a.example']);
    expect(second).toEqual(first);
    expect(calls).toHaveLength(1);
    now = 999;
    status = 500;
    expect(await related('example.com')).toEqual(['https://a.example']);
    expect(calls).toHaveLength(1);
    now = 1000;
    expect(await related('example.com')).toBeUndefined();
    expect(calls).toHaveLength(2);
    now = 1500;
    status = 200;
    expect(await related('example.com')).toBeUndefined();
    expect(calls).toHaveLength(2);
    expect(await related('other.example')).toEqual(['https://a.example']);
    expect(calls).toHaveLength(3);
  });
});
