import { createRequire } from 'node:module';
import { InputError } from '../../core/errors.js';
import { fetchPage, type FetchLimits } from './fetch-page.js';

/** The parser's own interface (its bundled typings declare a default export that its CommonJS module does not have). */
interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
  getSitemaps(): string[];
}
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, contents: string) => Robot;

/** The robots.txt rules the crawl follows (user agent "AIOS"). */
export interface RobotsRules {
  /** True when robots.txt was found (HTTP 2xx). */
  found: boolean;
  /** False when robots.txt disallows the URL for "AIOS". */
  allows(url: string): boolean;
  /** `Crawl-delay` for AIOS, in milliseconds (0 when none). */
  crawlDelayMs: number;
  /** `Sitemap:` lines. */
  sitemaps: string[];
}

/** The robots user agent AIOS matches rules against. */
export const ROBOTS_AGENT = 'AIOS';

/**
 * Reads `<origin>/robots.txt`. Missing (4xx) or a redirect: everything is allowed, as crawlers
 * do. A server error (5xx): nothing is crawled (the site may be restricting crawlers).
 * @throws whatever the fetch throws (address refused, network), or InputError on 5xx
 */
export async function readRobots(fetchFn: typeof fetch, origin: string, limits: FetchLimits): Promise<RobotsRules> {
  const url = `${origin}/robots.txt`;
  const res = await fetchPage(fetchFn, url, limits, 'text/plain');
  if (res.status >= 500) throw new InputError(`${url} answered HTTP ${res.status}: the site is not crawled while its robots.txt is unavailable`, { status: 502, code: 'robots_unavailable', fix: 'Try again later, or put the pages in the knowledge folder yourself.' });
  if (res.status < 200 || res.status >= 300) return { found: false, allows: () => true, crawlDelayMs: 0, sitemaps: [] };
  const robots = robotsParser(url, res.text);
  const delay = Number(robots.getCrawlDelay(ROBOTS_AGENT) ?? 0);
  return {
    found: true,
    allows: (u) => robots.isAllowed(u, ROBOTS_AGENT) !== false,
    crawlDelayMs: Number.isFinite(delay) && delay > 0 ? delay * 1000 : 0,
    sitemaps: robots.getSitemaps(),
  };
}
