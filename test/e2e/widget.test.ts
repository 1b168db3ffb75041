import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startHarness, eventually, AUTO_POLICY, type Harness } from '../support/harness.js';
import { syncKnowledge } from '../../src/knowledge/sync.js';

/**
 * The website widget in a real browser: a shop page on another origin embeds
 * `<script src="<aios>/widget.js" data-business="acme" async>`, a visitor asks a question, sees
 * the answer, asks something unknown and leaves their details; AIOS holds the `new_lead` signal.
 */

const CHROMIUM = '/usr/bin/chromium';
const ACME = { slug: 'acme', phone: '+14165550100' };
let h: Harness;
let site: Server;
let siteUrl: string;
let ctx: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run "apt-get install -y chromium" (Debian's Chromium; never download a browser with playwright)`);
  h = await startHarness([{ ...ACME, policy: AUTO_POLICY }]);
  const kdir = join(h.home, 'tenants', ACME.slug, 'knowledge');
  mkdirSync(kdir, { recursive: true });
  writeFileSync(join(kdir, 'hours.md'), '---\nkind: policy\ntitle: Opening hours\n---\n\n# Opening hours\n\nWe are open Monday to Friday from 8 am to 6 pm. We are closed on weekends.\n');
  await syncKnowledge(h.aios.db, h.aios.tenants.bySlugOrThrow(ACME.slug).id, kdir);

  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Acme Plumbing</title></head>
<body><h1>Acme Plumbing</h1><p>Welcome.</p>
<script src="${h.aios.url}/widget.js" data-business="${ACME.slug}" async></script></body></html>`;
  site = createServer((req, res) => {
    if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;

  profile = mkdtempSync(join(tmpdir(), 'aios-chromium-'));
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await ctx?.close();
  await new Promise((ok) => (site ? site.close(ok) : ok(undefined)));
  await h?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function openWidget(): Promise<Page> {
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(siteUrl);
  // Playwright's CSS locators reach into the widget's open shadow root.
  await page.locator('.launcher').click();
  await page.locator('input[name="question"]').waitFor({ state: 'visible' });
  expect(errors).toEqual([]);
  return page;
}

describe('website widget in Chromium', () => {
  it('answers a question with its source, from another origin', async () => {
    const page = await openWidget();
    await page.locator('input[name="question"]').fill('What are your opening hours?');
    await page.locator('form.ask button[type="submit"]').click();
    const answer = page.locator('.msg.bot', { hasText: 'Monday to Friday' });
    await answer.waitFor({ timeout: 10_000 });
    expect(await answer.locator('.src').textContent()).toMatch(/Source: .*Opening hours/);
    await page.close();
  });

  it('an unknown question offers the lead form; the lead becomes a new_lead signal in AIOS', async () => {
    const page = await openWidget();
    await page.locator('input[name="question"]').fill('Do you install solar panels on boats?');
    await page.locator('input[name="question"]').press('Enter');
    await page.locator('.msg.bot', { hasText: 'will follow up' }).waitFor({ timeout: 10_000 });
    const form = page.locator('form.lead');
    await form.waitFor({ state: 'visible' });
    expect(await form.locator('textarea[name="message"]').inputValue()).toBe('Do you install solar panels on boats?');
    await form.locator('input[name="name"]').fill('Dana <b>Bold</b>');
    await form.locator('input[name="phone"]').fill('(416) 555-0199');
    await form.locator('input[name="email"]').fill('dana@example.com');
    await form.locator('button[type="submit"]').click();
    const thanks = page.locator('.msg.bot', { hasText: 'Thanks' });
    await thanks.waitFor({ timeout: 10_000 });
    // Text, never markup: the name comes back as typed.
    expect(await thanks.textContent()).toContain('Dana <b>Bold</b>');
    expect(await page.locator('.msg b').count()).toBe(0);

    const tid = h.aios.tenants.bySlugOrThrow(ACME.slug).id;
    const sig = await eventually(
      () => h.aios.db.selectFrom('signals').selectAll().where('tenant_id', '=', tid).where('kind', '=', 'new_lead').where('subject', '=', '+14165550199').executeTakeFirst(),
      10_000, 'the new_lead signal',
    );
    expect(sig.data).toMatchObject({ source: 'widget', email: 'dana@example.com', message: 'Do you install solar panels on boats?', page: siteUrl });
    const contact = await h.aios.db.selectFrom('contacts').selectAll().where('tenant_id', '=', tid).where('phone', '=', '+14165550199').executeTakeFirstOrThrow();
    // A visitor's name is cleaned before it is kept (no markup, links or digits) and stays unverified:
    // it is never quoted in a text to this number.
    expect(contact).toMatchObject({ name: 'Dana', email: 'dana@example.com', source: 'widget', name_source: 'visitor', name_verified: false });
    await page.close();
  });
});
