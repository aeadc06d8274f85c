// The Public Suffix List (publicsuffix.org), private domains included, for the RP ID checks
// (rp-id.ts) and related origins (related-origins.ts). Its rules are a file the build writes
// from the list tldts carries (scripts/public-suffix-list.mjs, wxt.config.ts); the service
// worker reads it at its first ceremony, beside the vault, and builds the lookup then. With
// tldts in the worker's script, its tables were evaluated at every start of the worker
// (docs/performance.md).

/** Where the list's text comes from (the service worker reads the build's file). */
export type PublicSuffixSource = () => Promise<string>;

export class PublicSuffixList {
  /** Each group's parent → `,a,b,*,!c,` (scripts/public-suffix-list.mjs). */
  readonly #groups = new Map<string, string>();

  /** The build's text: one group of rules a line, `parent:a,b,*,!c` (scripts/public-suffix-list.mjs). */
  constructor(text: string) {
    for (const line of text.split('\n')) {
      const colon = line.indexOf(':');
      if (colon >= 0) this.#groups.set(line.slice(0, colon), `,${line.slice(colon + 1)},`);
    }
  }

  /** `host`'s public suffix (`co.uk` for `www.example.co.uk`). */
  publicSuffix(host: string): string {
    const labels = host.split('.');
    return labels.slice(-this.#suffixLabels(labels)).join('.');
  }

  /** `host`'s registrable domain (`example.co.uk`), or undefined when `host` is a public suffix. */
  registrableDomain(host: string): string | undefined {
    const labels = host.split('.');
    const n = this.#suffixLabels(labels) + 1;
    return n <= labels.length ? labels.slice(-n).join('.') : undefined;
  }

  /**
   * How many of a host's last labels make its public suffix, by the list's algorithm: an
   * exception rule prevails and its suffix is the rule less its first label; otherwise the
   * matching rule with the most labels (a wildcard standing for any one label); with none,
   * the implicit `*` rule (the last label). The labels are lower-case ASCII.
   */
  #suffixLabels(labels: readonly string[]): number {
    // k = 1: a one-label rule or the implicit `*`, the last label either way.
    let longest = 1;
    let parent = labels[labels.length - 1]!;
    for (let k = 2; k <= labels.length; k++) {
      const label = labels[labels.length - k]!;
      const children = this.#groups.get(parent);
      if (children?.includes(`,!${label},`)) return k - 1;
      if (children?.includes(`,${label},`) || children?.includes(',*,')) longest = k;
      parent = `${label}.${parent}`;
    }
    return longest;
  }
}

/** The URL standard parses a host whose last label is a number as IPv4 (or fails). */
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|[0-9]+)$/;

/** Whether `host` (a URL's hostname) is an IP address, which has no public suffix. */
export function isIpAddress(host: string): boolean {
  return host.startsWith('[') || NUMERIC_LABEL.test(host.slice(host.lastIndexOf('.') + 1));
}

let source: PublicSuffixSource = () => Promise.reject(new Error('No Public Suffix List was given (setPublicSuffixSource).'));
let loading: Promise<PublicSuffixList> | undefined;

/** The list, read once; a failed read is tried again at the next call. */
export function publicSuffixList(): Promise<PublicSuffixList> {
  loading ??= source().then(
    (text) => new PublicSuffixList(text),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Where the list's text comes from: set as the service worker starts, and by the tests' set-up. */
export function setPublicSuffixSource(next: PublicSuffixSource): void {
  source = next;
  loading = undefined;
}
