// @ts-check
// Measuring an extension page that no debugger held up.
//
// Puppeteer auto-attaches to every new target with `waitForDebuggerOnStart`: a new window's
// renderer waits, paused, until puppeteer has set its session up (several CDP round trips
// through Node) and lets it run. No user's browser does that. In a probe of 24 warm prompts,
// 12 with puppeteer attached and 12 not (interleaved), the prompt's first paint came
// 50–70 ms later when attached, most of it between the window's navigation start and its
// DOMContentLoaded. (The toolbar popup's figure starts at its own navigation start, and
// showed no such difference: bench/lib/popup.mjs still lets puppeteer attach.)
//
// So the bench leaves the pages it times alone while they load: `launchLatchkey` gives
// puppeteer a target filter, and while a URL prefix is armed with `unobserved()`, puppeteer
// lets such a new target run at once (one round trip: `Runtime.runIfWaitingForDebugger`) and
// does not set it up. `LatePage` then attaches a plain CDP session to the running page, which
// does not pause it, and drives it with trusted input events, as puppeteer's Page would.
//
// The figures still come from the page's own clock (paint entries and marks); attaching late
// only changes when the harness can read them.

/** @typedef {import('puppeteer-core').CDPSession} CDPSession */
/** @typedef {{ targetId: string, type: string, url: string }} TargetInfo */

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** The URL prefixes whose new targets puppeteer leaves alone, per browser. */
export class Unobserved {
  /** @type {Set<string>} */
  #prefixes = new Set();

  /** For puppeteer.launch's `targetFilter`: false = leave this target alone. @param {import('puppeteer-core').Target} target */
  filter = (target) => {
    const url = target.url();
    for (const prefix of this.#prefixes) if (url.startsWith(prefix)) return false;
    return true;
  };

  /**
   * Runs `fn` with new targets under `prefix` left alone.
   * @template T @param {string} prefix @param {() => Promise<T>} fn @returns {Promise<T>}
   */
  async during(prefix, fn) {
    this.#prefixes.add(prefix);
    try {
      return await fn();
    } finally {
      this.#prefixes.delete(prefix);
    }
  }
}

/**
 * The browser's page targets whose URL starts with `prefix`, straight from Chromium (puppeteer
 * does not list targets it left alone). @param {CDPSession} root @param {string} prefix
 * @returns {Promise<TargetInfo[]>}
 */
export async function pageTargets(root, prefix) {
  const { targetInfos } = await root.send('Target.getTargets');
  return targetInfos.filter((t) => t.type === 'page' && t.url.startsWith(prefix));
}

/**
 * Waits for a page target under `prefix` that is not in `known`.
 * @param {CDPSession} root @param {string} prefix @param {Set<string>} known @param {number} timeout
 * @param {Promise<unknown>} [pending] a ceremony that, if it settles first, means no page will come
 */
export async function waitForNewPageTarget(root, prefix, known, timeout, pending) {
  let settled = false;
  pending?.then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = Date.now() + timeout;
  for (;;) {
    const fresh = (await pageTargets(root, prefix)).find((t) => !known.has(t.targetId));
    if (fresh) return fresh;
    if (settled) {
      const how = await pending?.then((v) => `with ${JSON.stringify(v)}`, (e) => `by failing: ${e?.message ?? e}`);
      throw new Error(`the page's ceremony settled before any ${prefix} page opened, ${how}`);
    }
    if (Date.now() > deadline) throw new Error(`no new ${prefix} page within ${timeout} ms`);
    await sleep(10);
  }
}

/**
 * Waits (up to `timeout`, then goes on) until no page target under `prefix` is left but those
 * in `known`: a closed window or popup is gone before the next one opens.
 * @param {CDPSession} root @param {string} prefix @param {Set<string>} [known] @param {number} [timeout]
 */
export async function waitForPageTargetsGone(root, prefix, known = new Set(), timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while ((await pageTargets(root, prefix)).some((t) => !known.has(t.targetId)) && Date.now() < deadline) await sleep(20);
}

/** A page driven through a plain CDP session attached after it started. */
export class LatePage {
  /** @param {CDPSession} session @param {TargetInfo} info */
  constructor(session, info) {
    this.session = session;
    this.info = info;
  }

  /**
   * Through puppeteer's Connection.createSession (not in its typed API; puppeteer-core is
   * pinned to ~24.43): it sends Target.attachToTarget with flatten, returns the session as a
   * CDPSession, and marks the target as attached by hand, so puppeteer's own target manager
   * leaves that session alone.
   * @param {CDPSession} root @param {TargetInfo} info
   */
  static async attach(root, info) {
    const session = await /** @type {any} */ (root.connection()).createSession(info);
    return new LatePage(session, info);
  }

  /**
   * Runs `fn(...args)` in the page (arguments and result as JSON) and resolves with its value.
   * @param {Function} fn @param {...unknown} args
   */
  async evaluate(fn, ...args) {
    const expression = `(${fn.toString()})(...${JSON.stringify(args)})`;
    const r = await this.session.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) throw new Error(`in ${this.info.url}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  }

  /**
   * Polls `fn(...args)` every 25 ms until it returns something truthy, and returns that. A
   * page still loading (no context yet) counts as not yet. Not puppeteer's waitForFunction:
   * that injects a utility script and polls in every animation frame, which cost the popup
   * about 20 ms of main thread inside the span being measured (seen in a trace).
   * @param {number} timeout @param {Function} fn @param {...unknown} args
   */
  async poll(timeout, fn, ...args) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const v = await this.evaluate(fn, ...args).catch(() => undefined);
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`${fn.name || 'condition'} did not hold in ${this.info.url} within ${timeout} ms`);
      await sleep(25);
    }
  }

  /** Waits until `[data-testid=id]` is rendered with a box. @param {string} id @param {number} [timeout] */
  async waitForTestId(id, timeout = 30_000) {
    return this.poll(timeout, (/** @type {string} */ testId) => {
      const el = document.querySelector(`[data-testid="${testId}"]`);
      return !!el && el.getBoundingClientRect().width > 0;
    }, id);
  }

  /** Whether `[data-testid=id]` is in the document now. @param {string} id */
  has(id) {
    return this.evaluate((/** @type {string} */ testId) => !!document.querySelector(`[data-testid="${testId}"]`), id);
  }

  /** A trusted left click at the middle of `[data-testid=id]`. A closing window may end the session. @param {string} id */
  async click(id) {
    const box = await this.evaluate((/** @type {string} */ testId) => {
      const el = /** @type {HTMLElement} */ (document.querySelector(`[data-testid="${testId}"]`));
      el.scrollIntoView({ block: 'center' });
      const r = el.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }, id);
    const at = { x: box.x, y: box.y, button: /** @type {const} */ ('left'), clickCount: 1 };
    await this.session.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: at.x, y: at.y });
    await this.session.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...at });
    await this.session.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...at }).catch(() => {});
  }

  /** Focuses `[data-testid=id]`, empties it and types `text` as one insertion. @param {string} id @param {string} text */
  async fill(id, text) {
    await this.evaluate((/** @type {string} */ testId) => {
      const el = /** @type {HTMLInputElement} */ (document.querySelector(`[data-testid="${testId}"]`));
      el.focus();
      el.select();
    }, id);
    await this.session.send('Input.insertText', { text });
    const value = await this.evaluate((/** @type {string} */ testId) => /** @type {HTMLInputElement} */ (document.querySelector(`[data-testid="${testId}"]`)).value, id);
    if (value !== text) throw new Error(`[data-testid="${id}"] holds ${JSON.stringify(value)} after typing`);
  }

  /**
   * Resolves with the first console message of the page that matches `re` (its match). Turns
   * the session's Runtime domain on, so call it once the timed load is over.
   * @param {RegExp} re @returns {Promise<RegExpExecArray>}
   */
  async consoleMatch(re) {
    /** @type {Promise<RegExpExecArray>} */
    const found = new Promise((resolve) => {
      const on = (/** @type {any} */ e) => {
        const m = re.exec(e.args.map((/** @type {any} */ a) => a.value ?? '').join(' '));
        if (!m) return;
        this.session.off('Runtime.consoleAPICalled', on);
        resolve(m);
      };
      this.session.on('Runtime.consoleAPICalled', on);
    });
    await this.session.send('Runtime.enable');
    return found;
  }
}
