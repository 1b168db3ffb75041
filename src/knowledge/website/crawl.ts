import { createHash } from 'node:crypto';
import { InputError } from '../../core/errors.js';
import { fetchPage, type FetchedPage, type FetchLimits } from './fetch-page.js';
import { readRobots, type RobotsRules } from './robots.js';
import { parseSitemap } from './sitemap.js';
import { isAsset, pageFile, resolveLink, sameSite } from './urls.js';

/** Defaults and caps of a crawl. */
export const CRAWL_DEFAULTS = {
  maxPages: 50,
  /** Hard cap on `maxPages`. */
  maxPagesCap: 500,
  /** Bytes read per page: 2 MB; a longer page is cut there. */
  maxBytesPerPage: 2 * 1024 * 1024,
  /** Per request, ms. */
  timeoutMs: 15_000,
  /** Whole crawl, ms: 2 minutes. */
  budgetMs: 120_000,
  /** robots.txt `Crawl-delay` is honoured up to this many ms between requests. */
  maxCrawlDelayMs: 5_000,
  /** Redirect hops followed (same site only). */
  maxRedirects: 5,
  /** Sitemap documents read (index and children). */
  maxSitemaps: 20,
} as const;

/** Options of {@link crawlWebsite}. */
export interface CrawlOptions {
  /** A sitemap URL (`…/sitemap.xml`, a sitemap index too) or a start page. */
  url: string;
  /** The fetch to use: the instance's guarded fetch (address policy), redirects are handled here. */
  fetch: typeof fetch;
  maxPages?: number;
  maxBytesPerPage?: number;
  timeoutMs?: number;
  budgetMs?: number;
  maxCrawlDelayMs?: number;
  /** Waits between requests (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
}

/** One page turned into text. */
export interface CrawledPage {
  url: string;
  /** Knowledge file it belongs in, relative to the knowledge folder (`website/….md`). */
  file: string;
  title: string;
  /** Markdown-like text (headings, lists, tables). */
  text: string;
  /** ISO instant. */
  fetchedAt: string;
  bytes: number;
  /** True when the page was longer than the byte limit and only its start was kept. */
  cut: boolean;
}

/** A URL not taken, and why (shown to the owner as is). */
export interface SkippedUrl {
  url: string;
  reason: string;
}

/** What a crawl found. */
export interface CrawlResult {
  start: string;
  mode: 'sitemap' | 'links';
  pages: CrawledPage[];
  skipped: SkippedUrl[];
  robots: { found: boolean; crawlDelayMs: number };
  /** Why the crawl ended early, else null. */
  stoppedBy: 'max_pages' | 'time_budget' | null;
  ms: number;
}

interface Item {
  url: string;
  sitemap: boolean;
}

function isHtml(p: FetchedPage): boolean {
  return p.contentType === 'text/html' || p.contentType === 'application/xhtml+xml' || (p.contentType === '' && /<html[\s>]/i.test(p.text.slice(0, 2000)));
}

function errorText(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'no answer in time (timeout)';
  const msg = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${msg}${cause}`.slice(0, 200);
}

/** Checks the start URL: http(s), no credentials in it. @throws InputError */
export function checkStartUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new InputError(`${JSON.stringify(raw)} is not a web address`, { fix: 'Give the full address of the website or its sitemap, e.g. https://example.com/ or https://example.com/sitemap.xml.' });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InputError(`only http(s) websites can be read, not ${u.protocol}`, { fix: 'Give the address starting with https://.' });
  if (u.username || u.password) throw new InputError('the address contains a user name or password', { fix: 'Give the public address of the website, without credentials.' });
  u.hash = '';
  return u;
}

/**
 * Reads a business's public website into text, breadth-first: from a sitemap (a sitemap index
 * too) its listed pages, else from the start page every same-site link (`<a href>`, not
 * `rel=nofollow`). Never leaves the start URL's scheme+host+port — links and redirects to another
 * host are reported, not followed; robots.txt is honoured for "AIOS" (its `Crawl-delay` up to
 * {@link CRAWL_DEFAULTS.maxCrawlDelayMs}); each page is read up to `maxBytesPerPage` (longer:
 * cut), each request within `timeoutMs`, the whole crawl within `budgetMs` and `maxPages`.
 * Pages marked `noindex` are skipped, and so is a page whose text equals one already read.
 * Requests are sequential: one at a time against the owner's own site.
 * @throws InputError for a bad start URL; the fetch's error (e.g. the address refused by the
 *   instance's policy) when the site cannot be reached at all
 */
export async function crawlWebsite(opts: CrawlOptions): Promise<CrawlResult> {
  // The HTML parser loads with the first crawl, not with every process that imports the defaults.
  const [{ parse }, { htmlToText }] = await Promise.all([import('node-html-parser'), import('../html-text.js')]);
  const t0 = Date.now();
  const start = checkStartUrl(opts.url);
  const maxPages = Math.max(1, Math.min(opts.maxPages ?? CRAWL_DEFAULTS.maxPages, CRAWL_DEFAULTS.maxPagesCap));
  const limits: FetchLimits = { timeoutMs: opts.timeoutMs ?? CRAWL_DEFAULTS.timeoutMs, maxBytes: opts.maxBytesPerPage ?? CRAWL_DEFAULTS.maxBytesPerPage };
  const budgetMs = opts.budgetMs ?? CRAWL_DEFAULTS.budgetMs;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const robots: RobotsRules = await readRobots(opts.fetch, start.origin, limits);
  const delayMs = Math.min(robots.crawlDelayMs, opts.maxCrawlDelayMs ?? CRAWL_DEFAULTS.maxCrawlDelayMs);
  let lastRequest = Date.now();

  const pages: CrawledPage[] = [];
  const skipped: SkippedUrl[] = [];
  const reported = new Set<string>();
  const skip = (url: string, reason: string) => {
    if (reported.has(url)) return;
    reported.add(url);
    skipped.push({ url, reason });
  };
  const seen = new Set<string>();
  const byText = new Map<string, string>();
  const files = new Set<string>();
  const queue: Item[] = [{ url: start.href, sitemap: /\.xml$/i.test(start.pathname) }];
  let mode: CrawlResult['mode'] = queue[0]!.sitemap ? 'sitemap' : 'links';
  let sitemapsRead = 0;
  let stoppedBy: CrawlResult['stoppedBy'] = null;

  /** GET with same-site redirects followed (each hop through the guarded fetch); null when not taken. */
  const get = async (first: string): Promise<{ url: string; page: FetchedPage } | null> => {
    let url = first;
    for (let hop = 0; ; hop++) {
      const wait = lastRequest + delayMs - Date.now();
      if (delayMs > 0 && wait > 0) await sleep(wait);
      lastRequest = Date.now();
      let page: FetchedPage;
      try {
        page = await fetchPage(opts.fetch, url, limits);
      } catch (err) {
        skip(url, errorText(err));
        return null;
      }
      if (!page.location) return { url, page };
      const next = resolveLink(page.location, url);
      if (!next) return skip(first, `redirects to ${page.location}: not a web page`), null;
      if (!sameSite(next, start)) return skip(first, `redirects to another site (${next.origin}): not followed`), null;
      if (hop >= CRAWL_DEFAULTS.maxRedirects) return skip(first, 'too many redirects'), null;
      if (!robots.allows(next.href)) return skip(first, `redirects to ${next.pathname}, which robots.txt disallows`), null;
      if (seen.has(next.href)) return skip(first, `redirects to ${next.href}, already read`), null;
      seen.add(next.href);
      url = next.href;
    }
  };

  while (queue.length) {
    if (pages.length >= maxPages) {
      stoppedBy = 'max_pages';
      break;
    }
    if (Date.now() - t0 > budgetMs) {
      stoppedBy = 'time_budget';
      break;
    }
    const item = queue.shift()!;
    if (seen.has(item.url)) continue;
    seen.add(item.url);
    if (!robots.allows(item.url)) {
      skip(item.url, 'robots.txt disallows it');
      continue;
    }
    const got = await get(item.url);
    if (!got) continue;
    const { url, page } = got;
    if (page.status < 200 || page.status >= 300) {
      skip(item.url, `HTTP ${page.status}`);
      continue;
    }
    const sitemap = !isHtml(page) ? parseSitemap(page.text) : null;
    if (sitemap) {
      if (pages.length === 0) mode = 'sitemap';
      if (++sitemapsRead > CRAWL_DEFAULTS.maxSitemaps) {
        skip(url, `over ${CRAWL_DEFAULTS.maxSitemaps} sitemaps: not read`);
        continue;
      }
      for (const loc of sitemap.locs) {
        const u = resolveLink(loc, url);
        if (!u) continue;
        if (!sameSite(u, start)) skip(u.href, 'on another site: not followed');
        else queue.push({ url: u.href, sitemap: sitemap.kind === 'index' });
      }
      continue;
    }
    if (!isHtml(page)) {
      skip(item.url, `not a web page (${page.contentType || 'no content type'})`);
      continue;
    }
    const root = parse(page.text, { comment: false });
    const robotsMeta = (root.querySelector('meta[name="robots"]')?.getAttribute('content') ?? '').toLowerCase();
    if (mode === 'links' && !robotsMeta.includes('nofollow')) {
      for (const a of root.querySelectorAll('a[href]')) {
        if (/\bnofollow\b/i.test(a.getAttribute('rel') ?? '')) continue;
        const u = resolveLink(a.getAttribute('href') ?? '', url);
        if (!u) continue;
        if (!sameSite(u, start)) skip(u.href, 'on another site: not followed');
        else if (isAsset(u)) skip(u.href, 'a file, not a page: not read');
        else if (!seen.has(u.href)) queue.push({ url: u.href, sitemap: false });
      }
    }
    if (robotsMeta.includes('noindex')) {
      skip(item.url, 'the page asks not to be indexed (noindex)');
      continue;
    }
    const { title, text } = htmlToText(page.text);
    if (!text.trim()) {
      skip(item.url, 'no text on the page');
      continue;
    }
    const hash = createHash('sha256').update(text).digest('hex');
    const twin = byText.get(hash);
    if (twin) {
      skip(item.url, `same text as ${twin}`);
      continue;
    }
    byText.set(hash, url);
    const u = new URL(url);
    let file = pageFile(u);
    if (files.has(file)) file = file.replace(/\.md$/, `-${hash.slice(0, 7)}.md`);
    files.add(file);
    const heading = text.match(/^# (.+)$/m)?.[1];
    const name = title ?? heading ?? (u.pathname === '/' ? u.host : u.pathname);
    pages.push({ url, file, title: name, text: heading ? text : `# ${name}\n\n${text}`, fetchedAt: new Date().toISOString(), bytes: page.bytes, cut: page.cut });
  }
  if (stoppedBy) for (const it of queue) if (!seen.has(it.url)) skip(it.url, stoppedBy === 'max_pages' ? `over the limit of ${maxPages} pages` : 'the crawl ran out of time');
  return { start: start.href, mode, pages, skipped, robots: { found: robots.found, crawlDelayMs: delayMs }, stoppedBy, ms: Date.now() - t0 };
}
