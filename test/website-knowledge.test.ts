import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, insertTenant } from './support/test-db.js';
import { guardFetch } from '../src/connection/framework/guarded-fetch.js';
import { importWebsite } from '../src/knowledge/website/import-website.js';
import { crawlWebsite } from '../src/knowledge/website/crawl.js';
import { answerQuestion } from '../src/knowledge/answer.js';

/** A small business website on 127.0.0.1, and a second site (another port = another origin). */
const hits = new Map<string, number>();
let otherHits = 0;
let site: Server;
let other: Server;
let base = '';
let otherBase = '';

const page = (title: string, body: string) => `<!doctype html><html><head><title>${title}</title></head><body><nav><a href="/">Home</a></nav><main>${body}</main></body></html>`;

function routes(path: string): { status?: number; type?: string; body?: string; location?: string } {
  switch (path) {
    case '/robots.txt':
      return { type: 'text/plain', body: `User-agent: *\nDisallow: /private\nCrawl-delay: 1\nSitemap: ${base}/sitemap.xml\n` };
    case '/sitemap.xml':
      return { type: 'application/xml', body: `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${base}/sitemap-pages.xml</loc></sitemap></sitemapindex>` };
    case '/sitemap-pages.xml':
      return { type: 'application/xml', body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${base}/</loc></url><url><loc>${base}/services</loc></url><url><loc>${base}/private/door-codes</loc></url><url><loc>${otherBase}/elsewhere</loc></url></urlset>` };
    case '/':
      return { type: 'text/html', body: page('Ace Plumbing', `<h1>Ace Plumbing</h1><p>Plumbers in Toronto since 1998.</p><ul><li><a href="/services">Services</a></li><li><a href="/faq">FAQ</a></li><li><a href="/private/door-codes">Staff</a></li><li><a href="/loop-a">Loop</a></li><li><a href="${otherBase}/partner">Our partner</a></li><li><a href="/go-away">Shop</a></li><li><a href="/moved">Old FAQ</a></li><li><a href="/huge">Catalogue</a></li><li><a href="/index.html">Home again</a></li><li><a href="/brochure.pdf">Brochure</a></li></ul>`) };
    case '/index.html':
      return routes('/');
    case '/services':
      return { type: 'text/html', body: page('Services and prices', `<h1>Services and prices</h1><table><tr><th>service</th><th>price</th></tr><tr><td>Drain cleaning</td><td>$149</td></tr><tr><td>Water heater flush</td><td>$129</td></tr></table>`) };
    case '/faq':
      return { type: 'text/html', body: page('Frequently asked questions', `<h1>Frequently asked questions</h1><h2>Do you work on weekends?</h2><p>Yes: we work on Saturdays from 9 to 2. Sundays are for emergencies only.</p>`) };
    case '/private/door-codes':
      return { type: 'text/html', body: page('Door codes', '<p>The office door code is 4411.</p>') };
    case '/loop-a':
      return { type: 'text/html', body: page('Loop A', '<p>Page A of a loop.</p><a href="/loop-b">next</a>') };
    case '/loop-b':
      return { type: 'text/html', body: page('Loop B', '<p>Page B of a loop.</p><a href="/loop-a">back</a>') };
    case '/go-away':
      return { status: 302, location: `${otherBase}/landing` };
    case '/meta':
      return { status: 302, location: 'http://169.254.169.254/latest/meta-data/' };
    case '/moved':
      return { status: 301, location: '/faq' };
    case '/huge':
      return { type: 'text/html', body: page('Catalogue', `<h1>Catalogue</h1>${'<p>Copper pipe fittings, elbows and tees in every size.</p>'.repeat(60_000)}`) };
    default:
      return { status: 404, type: 'text/plain', body: 'not found' };
  }
}

async function listen(s: Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const t = await createTestDatabase();
const loopback = { allowLoopback: true, allowPrivateNetworks: false };
const fetchAllowed = guardFetch(undefined, loopback);
const noSleep = async () => undefined;

beforeAll(async () => {
  site = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const r = routes(path);
    res.writeHead(r.status ?? 200, { ...(r.type ? { 'content-type': `${r.type}; charset=utf-8` } : {}), ...(r.location ? { location: r.location } : {}) });
    res.end(r.body ?? '');
  });
  other = createServer((_req, res) => {
    otherHits++;
    res.writeHead(200, { 'content-type': 'text/html' }).end(page('Other', '<p>Another business.</p>'));
  });
  base = await listen(site);
  otherBase = await listen(other);
});
afterAll(async () => {
  site?.close();
  other?.close();
  await t.close();
});

describe('website knowledge from a start URL', () => {
  let dir: string;
  let tid: string;
  let result: Awaited<ReturnType<typeof importWebsite>>;
  const delays: number[] = [];

  beforeAll(async () => {
    hits.clear();
    otherHits = 0;
    tid = await insertTenant(t.db, 'webco', '+14165550140');
    dir = mkdtempSync(join(tmpdir(), 'aios-web-'));
    result = await importWebsite(t.db, tid, dir, { url: `${base}/`, fetch: fetchAllowed, maxBytesPerPage: 64 * 1024, sleep: async (ms) => void delays.push(ms) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const reason = (path: string) => result.skipped.find((s) => s.url === `${base}${path}`)?.reason;

  it('reads the same-site pages breadth-first and writes them as knowledge files with their source', () => {
    expect(result.mode).toBe('links');
    expect(result.pages.map((p) => p.url)).toEqual([`${base}/`, `${base}/services`, `${base}/faq`, `${base}/loop-a`, `${base}/huge`, `${base}/loop-b`]);
    expect(result.pages.every((p) => p.status === 'added')).toBe(true);
    const faq = readFileSync(join(dir, 'website/faq.md'), 'utf8');
    expect(faq).toMatch(/^---\ntitle: Frequently asked questions\nkind: faq\nsource_url: http:\/\/127\.0\.0\.1:\d+\/faq\nfetched_at: \d{4}-/);
    expect(faq).toContain('Yes: we work on Saturdays from 9 to 2.');
    expect(existsSync(join(dir, 'website/index.md'))).toBe(true);
    expect(result.sync.added).toBe(6);
    expect(result.failures).toEqual([]);
  });

  it('honours robots.txt: the disallowed page is never requested', () => {
    expect(hits.get('/private/door-codes')).toBeUndefined();
    expect(reason('/private/door-codes')).toBe('robots.txt disallows it');
    // Crawl-delay: 1 → a 1 s wait between requests (the test's sleep records it).
    expect(delays.length).toBeGreaterThan(3);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1000);
    expect(Math.max(...delays)).toBeGreaterThan(500);
  });

  it('does not follow links or redirects to another site', () => {
    expect(otherHits).toBe(0);
    expect(result.skipped.find((s) => s.url === `${otherBase}/partner`)?.reason).toBe('on another site: not followed');
    expect(reason('/go-away')).toMatch(/^redirects to another site \(http:\/\/127\.0\.0\.1:\d+\): not followed$/);
  });

  it('visits a loop of links once, follows a same-site redirect, and skips a page with the same text', () => {
    expect(hits.get('/loop-a')).toBe(1);
    expect(hits.get('/loop-b')).toBe(1);
    expect(hits.get('/faq')).toBe(1); // /moved redirects to /faq, already read
    expect(reason('/moved')).toMatch(/already read/);
    expect(reason('/index.html')).toBe(`same text as ${base}/`);
    expect(reason('/brochure.pdf')).toBe('a file, not a page: not read');
    expect(hits.get('/brochure.pdf')).toBeUndefined();
  });

  it('cuts a huge page at the byte limit', () => {
    const huge = result.pages.find((p) => p.url.endsWith('/huge'))!;
    expect(huge.cut).toBe(true);
    const file = readFileSync(join(dir, 'website/huge.md'), 'utf8');
    expect(file).toContain('note: only the first 65536 bytes of the page were read');
    expect(file.length).toBeLessThan(70_000);
  });

  it('answers a question from the pages, citing the page URL; the pages are customer-facing', async () => {
    const a = await answerQuestion(t.db, tid, 'Do you work on Saturdays?', { audience: 'customers', recordGap: false });
    expect(a.status).toBe('answered');
    expect(a.text).toContain('Saturdays from 9 to 2');
    expect(a.citations[0]).toMatchObject({ file: 'website/faq.md', url: `${base}/faq` });
  });

  it('a second crawl of an unchanged site rewrites nothing and indexes nothing again', async () => {
    const again = await importWebsite(t.db, tid, dir, { url: `${base}/`, fetch: fetchAllowed, maxBytesPerPage: 64 * 1024, sleep: noSleep });
    expect(again.pages.every((p) => p.status === 'unchanged')).toBe(true);
    expect(again.sync.added + again.sync.changed).toBe(0);
  });
});

describe('website knowledge from a sitemap', () => {
  it('reads a sitemap index and its pages, same site only, robots.txt honoured, limited to maxPages', async () => {
    hits.clear();
    otherHits = 0;
    const r = await crawlWebsite({ url: `${base}/sitemap.xml`, fetch: fetchAllowed, sleep: noSleep });
    expect(r.mode).toBe('sitemap');
    expect(r.pages.map((p) => p.url)).toEqual([`${base}/`, `${base}/services`]); // links are not followed from a sitemap
    expect(r.skipped).toEqual(expect.arrayContaining([
      { url: `${base}/private/door-codes`, reason: 'robots.txt disallows it' },
      { url: `${otherBase}/elsewhere`, reason: 'on another site: not followed' },
    ]));
    expect(otherHits).toBe(0);
    const one = await crawlWebsite({ url: `${base}/`, fetch: fetchAllowed, sleep: noSleep, maxPages: 1 });
    expect(one.pages).toHaveLength(1);
    expect(one.stoppedBy).toBe('max_pages');
    expect(one.skipped.find((s) => s.url === `${base}/services`)?.reason).toBe('over the limit of 1 pages');
  });
});

describe('address policy', () => {
  it('refuses this machine when loopback is not allowed, before any request', async () => {
    hits.clear();
    const strict = guardFetch(undefined, { allowLoopback: false, allowPrivateNetworks: false });
    await expect(crawlWebsite({ url: `${base}/`, fetch: strict, sleep: noSleep })).rejects.toMatchObject({ code: 'address_refused' });
    expect(hits.size).toBe(0);
  });

  it('refuses the cloud metadata address and internal networks whatever the setting', async () => {
    const lax = guardFetch(undefined, loopback);
    await expect(crawlWebsite({ url: 'http://169.254.169.254/latest/meta-data/', fetch: lax, sleep: noSleep })).rejects.toMatchObject({ code: 'address_refused' });
    await expect(crawlWebsite({ url: 'http://10.0.0.5/', fetch: lax, sleep: noSleep })).rejects.toMatchObject({ code: 'address_refused' });
  });

  it('never follows a redirect to the metadata address (another host)', async () => {
    const r = await crawlWebsite({ url: `${base}/meta`, fetch: fetchAllowed, sleep: noSleep });
    expect(r.pages).toEqual([]);
    expect(r.skipped).toEqual([{ url: `${base}/meta`, reason: 'redirects to another site (http://169.254.169.254): not followed' }]);
  });

  it('refuses a URL that is not http(s) or carries credentials, with a fix', async () => {
    await expect(crawlWebsite({ url: 'file:///etc/passwd', fetch: fetchAllowed })).rejects.toMatchObject({ code: 'bad_input' });
    await expect(crawlWebsite({ url: 'http://user:pw@example.com/', fetch: fetchAllowed })).rejects.toMatchObject({ code: 'bad_input' });
  });
});
