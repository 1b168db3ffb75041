/**
 * The dashboard's first load in headless Chromium over loopback. Cold: a new browser context
 * (empty cache), logged in through `POST /auth/login` (cookie set, no page shown), then `goto('/')`.
 * Warm: the same context navigates to `/` again (assets from the browser cache, index.html
 * revalidated). "Interactive" is when the Today page's data is on screen: the page's heading is
 * visible, no API request is in flight and the DOM of `<main>` has been quiet for 150 ms; the time
 * reported is that of the last change to `<main>` (ms since navigation start), so the quiet wait
 * itself is not counted. Navigation Timing's domContentLoaded and load end are reported too.
 */
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, newContext, PHONE, DESKTOP, screenshot } from '../../test/support/dashboard-browser.js';

/**
 * Debian's headless Chromium with a throw-away profile of playwright's own (`launchBrowser` of the
 * test support passes `--user-data-dir`, which this playwright-core refuses).
 */
export async function launchBench(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return { browser, close: () => browser.close() };
}

/** One page load: ms since navigation start. */
export interface LoadTiming {
  interactive: number;
  domContentLoaded: number;
  load: number;
  /** Wall time of `goto` → interactive as seen by the driver (includes the quiet wait). */
  wall: number;
}

/** Counts the page's in-flight fetches (the server-sent events stream excepted) and marks when `<main>` last changed. */
const INSTRUMENT = `(() => {
  window.__aiosBench = { inflight: 0, lastChange: 0 };
  const f = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    if (String(url).includes('/live')) return f(input, init);
    window.__aiosBench.inflight++;
    return f(input, init).finally(() => { window.__aiosBench.inflight--; window.__aiosBench.lastChange = performance.now(); });
  };
  new MutationObserver(() => { window.__aiosBench.lastChange = performance.now(); })
    .observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})()`;

async function settle(page: import('playwright-core').Page, selector: string): Promise<{ interactive: number; domContentLoaded: number; load: number }> {
  await page.locator(selector).first().waitFor({ state: 'visible', timeout: 30_000 });
  // Functions, not strings: the dashboard's CSP forbids eval.
  await page.waitForFunction(() => {
    const b = (globalThis as unknown as { __aiosBench: { inflight: number; lastChange: number } }).__aiosBench;
    return b.inflight === 0 && performance.now() - b.lastChange > 150;
  }, undefined, { polling: 25, timeout: 30_000 });
  await page.waitForLoadState('load');
  return page.evaluate(() => {
    const g = globalThis as unknown as { __aiosBench: { lastChange: number }; performance: { getEntriesByType(t: string): Array<{ domContentLoadedEventEnd: number; loadEventEnd: number }> } };
    const nav = g.performance.getEntriesByType('navigation')[0]!;
    return { interactive: g.__aiosBench.lastChange, domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
  });
}

/**
 * `rounds` cold loads and, in each cold context, `rounds` warm reloads, at phone or desktop size.
 * `selector`: what shows that the Today page rendered (default: the page heading in `<main>`).
 */
export async function measureFirstLoad(browser: Browser, base: string, login: { email: string; password: string }, opts: { size: 'phone' | 'desktop'; rounds: number; selector: string; shot?: string }): Promise<{ cold: LoadTiming[]; warm: LoadTiming[] }> {
  const cold: LoadTiming[] = [];
  const warm: LoadTiming[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    const ctx = await newContext(browser, opts.size === 'phone' ? PHONE : DESKTOP);
    await ctx.addInitScript(INSTRUMENT);
    const res = await ctx.request.post(base + '/auth/login', { data: login, headers: { 'content-type': 'application/json' } });
    if (res.status() !== 200) throw new Error(`login failed: ${res.status()} ${await res.text()}`);
    const page = await ctx.newPage();
    let s = performance.now();
    await page.goto(base + '/');
    cold.push({ ...(await settle(page, opts.selector)), wall: performance.now() - s });
    if (r === 0 && opts.shot) await screenshot(page, opts.shot);
    for (let w = 0; w < 2; w++) {
      s = performance.now();
      await page.goto(base + '/');
      warm.push({ ...(await settle(page, opts.selector)), wall: performance.now() - s });
    }
    await ctx.close();
  }
  return { cold, warm };
}
