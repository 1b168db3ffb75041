import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startHarness, AUTO_POLICY, type Harness } from '../support/harness.js';
import { launchBrowser, newContext, ownerLogin, logIn, screenshot, PHONE, DESKTOP } from '../support/dashboard-browser.js';

/** The Set up page in a real browser: checklist, a website crawl run from the page, phone and desktop. */
let h: Harness;
let b: Awaited<ReturnType<typeof launchBrowser>>;
let site: Server;
let base = '';
const page = (title: string, body: string) => `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;

beforeAll(async () => {
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }]);
  site = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const pages: Record<string, string> = {
      '/': page('Acme Plumbing', '<h1>Acme Plumbing</h1><p>Emergency plumbers in Toronto.</p><a href="/prices">Prices</a> <a href="/faq">FAQ</a> <a href="https://elsewhere.example/">Partner</a>'),
      '/prices': page('Prices', '<h1>Prices</h1><table><tr><th>service</th><th>price</th></tr><tr><td>Drain cleaning</td><td>$149</td></tr></table>'),
      '/faq': page('FAQ', '<h1>FAQ</h1><h2>Do you work weekends?</h2><p>Yes, Saturdays 9 to 2.</p>'),
    };
    if (pages[path]) return void res.writeHead(200, { 'content-type': 'text/html' }).end(pages[path]);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  b = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await b?.close();
  site?.close();
  await h?.stop();
});

describe('dashboard: Set up', () => {
  it('shows the checklist and runs a website crawl from the page (phone)', async () => {
    const ctx = await newContext(b.browser, PHONE);
    const p = await ctx.newPage();
    await logIn(p, h.aios.url, ownerLogin(h.home, 'acme'));
    await p.goto(`${h.aios.url}/setup`);
    await p.getByRole('heading', { name: 'Your set-up' }).waitFor();
    expect(await p.getByLabel('1 of 7 steps done').count()).toBe(1);
    await screenshot(p, 'setup-phone-before');
    await p.getByLabel('Website or sitemap address').fill(`${base}/`);
    await p.getByRole('button', { name: 'Read my website' }).click();
    await p.getByRole('status').filter({ hasText: 'pages read' }).waitFor({ timeout: 30_000 });
    expect(await p.getByRole('status').filter({ hasText: 'pages read' }).textContent()).toContain('3 pages read — 3 added');
    await p.getByText('1 address skipped — why').click();
    expect(await p.getByText('on another site: not followed').count()).toBe(1);
    // The checklist reloads: knowledge is done now.
    await p.getByLabel('2 of 7 steps done').waitFor();
    expect(await p.locator('[data-step="knowledge"]').textContent()).toContain('3 website pages');
    await screenshot(p, 'setup-phone-after-crawl');
    await ctx.close();
  });

  it('desktop layout', async () => {
    const ctx = await newContext(b.browser, DESKTOP);
    const p = await ctx.newPage();
    await logIn(p, h.aios.url, ownerLogin(h.home, 'acme'));
    await p.goto(`${h.aios.url}/setup`);
    await p.getByLabel('2 of 7 steps done').waitFor();
    await p.getByLabel('Website or sitemap address').fill('http://169.254.169.254/latest/meta-data/');
    await p.getByRole('button', { name: 'Read my website' }).click();
    await p.getByRole('alert').waitFor();
    expect(await p.getByRole('alert').textContent()).toContain('link-local');
    // CSV upload from the page: the HubSpot export (2 people, 1 duplicate, 3 refused rows).
    await p.getByLabel('Contacts (CSV)').setInputFiles(join(import.meta.dirname, '../fixtures/csv/hubspot-contacts.csv'));
    await p.getByRole('button', { name: 'Import contacts' }).click();
    await p.getByRole('status').filter({ hasText: 'imported' }).waitFor();
    expect(await p.getByRole('status').filter({ hasText: 'imported' }).textContent()).toBe('2 imported, 1 updated, 3 rows skipped (hubspot export).');
    await p.getByLabel('3 of 7 steps done').waitFor();
    await screenshot(p, 'setup-desktop');
    await ctx.close();
  });
});
