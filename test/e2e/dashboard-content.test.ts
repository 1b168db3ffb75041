import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startHarness, eventually, tenantYaml, type Harness } from '../support/harness.js';
import { launchBrowser, newContext, ownerLogin, logIn, screenshot, PHONE, DESKTOP } from '../support/dashboard-browser.js';
import { ManualClock } from '../../src/core/clock.js';
import { makePdf } from '../../src/knowledge/testing/fixtures.js';
import '../../src/autonomy/content/tables.js';

/**
 * The owner runs the content engine from the Content page in Chromium: adds sources (pasted text
 * with nothing postable gets the engine's message and fix; a web page by its address; a PDF and a
 * Markdown file uploaded), plans the week, sees it by day and platform, edits one post, rejects
 * one with a reason, approves the rest in one tap (Instagram's posts are skipped until an image is
 * attached) and attaches an image. Phone (390×844) and desktop screenshots.
 */
const A = { slug: 'maple', phone: '+14165550900', ownerPhone: '+14165550999' };
const POLICY = 'version: 1\ndefault: approve\nactions:\n  content.publish: approve\n';
const DEMO = join(import.meta.dirname, '../../demo');
const ARTICLE = `<!doctype html><html><head><title>Drains before the holidays</title></head><body><main>
<h1>Drains before the holidays</h1>
<p>Never pour cooking grease down the kitchen sink. It cools in the pipe and catches everything that follows.</p>
<p>Once a month, run hot water for a full minute after the dishes. It keeps the trap clear before the family arrives.</p>
</main></body></html>`;
const clock = new ManualClock('2026-12-01T14:00:00Z');
let h: Harness;
let b: { browser: Browser; close(): Promise<void> };
let site: Server;
let siteUrl = '';
let tid = '';

const yaml = tenantYaml({ ...A, policy: POLICY }).replace('playbooks:\n', 'playbooks:\n  content-engine:\n    posts_per_week: 10\n    hashtags: [TorontoPlumber]\n');

beforeAll(async () => {
  site = createServer((req, res) => {
    if (req.url === '/blog/drains') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
  siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}/blog/drains`;
  const k = (f: string) => readFileSync(join(DEMO, 'knowledge', f), 'utf8');
  h = await startHarness([{ ...A, policy: POLICY, files: { 'tenant.yaml': yaml, 'knowledge/voice.md': k('voice.md'), 'knowledge/price-list.csv': k('price-list.csv'), 'knowledge/offers/winter-furnace-tune-up.md': k('offers/winter-furnace-tune-up.md') } }], { clock, config: { AIOS_WAKE_EVERY_MS: '200' } });
  tid = h.aios.tenants.bySlugOrThrow(A.slug).id;
  b = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await b?.close();
  await h?.stop();
  await new Promise<void>((r) => site.close(() => r()));
});

describe('content page', () => {
  it('desktop: add sources (text with nothing postable, a web page, a PDF, a Markdown file), then plan the week', async () => {
    const ctx = await newContext(b.browser, DESKTOP);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, ownerLogin(h.home, A.slug));
    await page.goto(`${h.aios.url}/content`);
    await page.getByRole('heading', { name: 'Content' }).waitFor();
    await page.getByText('No week drafted yet').waitFor();
    const card = page.locator('.content-source');
    await card.getByLabel('Source text').fill('ok\n\nsee you tuesday');
    await card.getByRole('button', { name: 'Find ideas' }).click();
    const alert = card.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/has nothing to post about: no tip, question, story, quote or offer was found in it — Add a longer piece in your own words/);
    await screenshot(page, 'content-desktop-nothing-postable');
    await card.getByRole('tab', { name: 'Web page' }).click();
    await card.getByLabel('Web page address').fill(siteUrl);
    await card.getByRole('button', { name: 'Find ideas' }).click();
    await expect.poll(() => card.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/^Added: “Drains before the holidays” · [1-9]\d* ideas? to post about\./);
    await card.getByRole('tab', { name: 'Upload a file' }).click();
    await card.getByLabel('Source file').setInputFiles({ name: 'sump-pump.pdf', mimeType: 'application/pdf', buffer: makePdf(['Test your sump pump every spring by pouring a bucket of water into the pit.', 'The pump should start on its own and empty the pit in under a minute.']) });
    await card.getByRole('button', { name: 'Find ideas' }).click();
    await expect.poll(() => card.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/^Added: “.+” · [1-9]\d* ideas? to post about\./);
    await card.getByLabel('Source file').setInputFiles(join(DEMO, 'content/winter-ready-home.md'));
    await card.getByRole('button', { name: 'Find ideas' }).click();
    await expect.poll(() => card.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/^Added: “Getting your home ready for a Toronto winter” · \d+ ideas/);
    await screenshot(page, 'content-desktop-source-added');
    const sources = await h.aios.db.selectFrom('content_sources').select(['name', 'format']).where('tenant_id', '=', tid).orderBy('created_at').execute();
    expect(sources).toEqual([{ name: '127.0.0.1-blog-drains.md', format: 'markdown' }, { name: 'sump-pump.pdf', format: 'pdf' }, { name: 'winter-ready-home.md', format: 'markdown' }]);
    await card.getByRole('button', { name: 'Plan the week' }).click();
    await page.locator('article.post').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('article.post').count()).toBe(10);
    await eventually(async () => (await h.aios.db.selectFrom('content_posts').select('status').where('tenant_id', '=', tid).execute()).every((p) => p.status === 'in_approval'), 30_000, 'posts in approval');
    await ctx.close();
  });

  it('desktop: the week by day and platform; Instagram needs an image; edit one, reject one with a reason', async () => {
    const ctx = await newContext(b.browser, DESKTOP);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, ownerLogin(h.home, A.slug));
    await page.goto(`${h.aios.url}/content`);
    await page.locator('article.post').first().waitFor();
    expect(await page.locator('article.post').count()).toBe(10);
    expect(await page.locator('.content-day').count()).toBeGreaterThanOrEqual(4);
    await expect.poll(() => page.locator('article.post .badge', { hasText: 'waiting for you' }).count(), { timeout: 15_000 }).toBe(10);
    expect(await page.locator('article.post-instagram .badge', { hasText: 'needs an image' }).count()).toBe(2);
    expect(await page.locator('article.post .badge', { hasText: 'needs an image' }).count()).toBe(2);
    await page.getByRole('button', { name: 'Approve all 8 ready' }).waitFor();
    await screenshot(page, 'content-desktop-week');
    await page.locator('article.post-instagram').first().screenshot({ path: 'test-artifacts/screenshots/content-desktop-instagram-card.png' });
    const first = page.locator('article.post:not(.post-instagram)').first();
    await first.getByRole('button', { name: 'Edit' }).click();
    await first.getByLabel('Post text').fill('Before the first frost, shut the valve to each outdoor faucet.');
    await first.getByRole('button', { name: 'Save & approve' }).click();
    await expect.poll(() => first.getByText('approved · scheduled · edited').count(), { timeout: 15_000 }).toBe(1);
    const second = page.locator('article.post:not(.post-instagram)').nth(1);
    await second.getByRole('button', { name: 'Reject…' }).click();
    await second.getByLabel('Why (teaches next week)').fill('too long');
    await second.getByRole('button', { name: 'Reject', exact: true }).click();
    await expect.poll(() => second.getByText('rejected').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await screenshot(page, 'content-desktop-decided');
    await page.screenshot({ path: 'test-artifacts/screenshots/content-desktop-decided-view.png' });
    await ctx.close();
  });

  it('phone: approve all ready in one tap (Instagram skipped and said so), attach an image, approve it', async () => {
    const ctx = await newContext(b.browser, PHONE);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, ownerLogin(h.home, A.slug));
    await page.goto(`${h.aios.url}/content`);
    await page.locator('article.post').first().waitFor();
    await screenshot(page, 'content-phone-week');
    await page.screenshot({ path: 'test-artifacts/screenshots/content-phone-view.png' });
    await page.getByRole('button', { name: 'Add a source…' }).click();
    const card = page.locator('.content-source');
    await card.getByRole('tab', { name: 'Web page' }).click();
    await card.getByLabel('Web page address').fill(siteUrl);
    await card.getByRole('button', { name: 'Find ideas' }).click();
    await expect.poll(() => card.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/^Already in your library: “Drains before the holidays”/);
    await card.screenshot({ path: 'test-artifacts/screenshots/content-phone-source-card.png' });
    await page.getByRole('button', { name: 'Approve all 6 ready' }).click();
    await expect.poll(() => page.locator('.content-approved').textContent(), { timeout: 15_000 }).toBe('Approved 6 posts; 1 already approved; skipped 2 that need an image (attach one, then approve).');
    await expect.poll(() => page.locator('article.post .badge', { hasText: 'waiting for you' }).count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => page.locator('article.post .badge', { hasText: /^approved · scheduled/ }).count(), { timeout: 15_000 }).toBe(7);
    const ig = page.locator('article.post-instagram').first();
    await ig.getByLabel('Image URL (https)').fill('http://images.example.com/frost.jpg');
    await ig.getByRole('button', { name: 'Add image' }).click();
    await expect.poll(() => ig.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/only https addresses are accepted/);
    await ig.getByLabel('Image URL (https)').fill('https://images.example.com/frost.jpg');
    await ig.getByRole('button', { name: 'Add image' }).click();
    await expect.poll(() => ig.getByRole('link', { name: 'https://images.example.com/frost.jpg' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await ig.locator('.badge', { hasText: 'needs an image' }).count()).toBe(0);
    await screenshot(page, 'content-phone-image');
    await ig.screenshot({ path: 'test-artifacts/screenshots/content-phone-instagram-card.png' });
    await page.locator('.content-approve').screenshot({ path: 'test-artifacts/screenshots/content-phone-approve-bar.png' });
    await page.getByRole('button', { name: 'Approve all 1 ready' }).click();
    await expect.poll(() => page.locator('article.post .badge', { hasText: /^approved · scheduled/ }).count(), { timeout: 15_000 }).toBe(8);
    await screenshot(page, 'content-phone-approved');
    await page.screenshot({ path: 'test-artifacts/screenshots/content-phone-approved-view.png' });
    await ctx.close();
  });
});
