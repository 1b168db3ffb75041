import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startHarness, eventually, tenantYaml, type Harness } from '../support/harness.js';
import { launchBrowser, newContext, ownerLogin, logIn, screenshot, PHONE, DESKTOP } from '../support/dashboard-browser.js';
import { ManualClock } from '../../src/core/clock.js';
import '../../src/autonomy/content/tables.js';

/**
 * The owner approves a week of posts on the Content page in Chromium: the week by day and
 * platform, one post edited, one rejected with a reason, the rest approved in one click.
 * Phone (390×844) and desktop screenshots.
 */
const A = { slug: 'maple', phone: '+14165550900', ownerPhone: '+14165550999' };
const POLICY = 'version: 1\ndefault: approve\nactions:\n  content.publish: approve\n';
const DEMO = join(import.meta.dirname, '../../demo');
const clock = new ManualClock('2026-12-01T14:00:00Z');
let h: Harness;
let b: { browser: Browser; close(): Promise<void> };
let token: string;

const yaml = tenantYaml({ ...A, policy: POLICY }).replace('playbooks:\n', 'playbooks:\n  content-engine:\n    posts_per_week: 10\n    hashtags: [TorontoPlumber]\n');

beforeAll(async () => {
  const k = (f: string) => readFileSync(join(DEMO, 'knowledge', f), 'utf8');
  h = await startHarness([{ ...A, policy: POLICY, files: { 'tenant.yaml': yaml, 'knowledge/voice.md': k('voice.md'), 'knowledge/price-list.csv': k('price-list.csv'), 'knowledge/offers/winter-furnace-tune-up.md': k('offers/winter-furnace-tune-up.md') } }], { clock, config: { AIOS_WAKE_EVERY_MS: '200' } });
  token = h.aios.cliTokens.get(A.slug)!;
  expect((await h.api(token, 'POST', '/api/v1/content/sources', { name: 'winter-ready-home.md', text: readFileSync(join(DEMO, 'content/winter-ready-home.md'), 'utf8') })).status).toBe(201);
  expect((await h.api(token, 'POST', '/api/v1/content/weeks', {})).status).toBe(201);
  const tid = h.aios.tenants.bySlugOrThrow(A.slug).id;
  await eventually(async () => (await h.aios.db.selectFrom('content_posts').select('status').where('tenant_id', '=', tid).execute()).every((p) => p.status === 'in_approval'), 30_000, 'posts in approval');
  b = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await b?.close();
  await h?.stop();
});

describe('content page', () => {
  it('desktop: the week by day and platform; edit one, reject one with a reason', async () => {
    const ctx = await newContext(b.browser, DESKTOP);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, ownerLogin(h.home, A.slug));
    await page.goto(`${h.aios.url}/content`);
    await page.getByRole('heading', { name: 'Content' }).waitFor();
    await page.locator('article.post').first().waitFor();
    expect(await page.locator('article.post').count()).toBe(10);
    expect(await page.locator('.content-day').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('article.post .badge', { hasText: 'waiting for you' }).count()).toBe(10);
    await screenshot(page, 'content-desktop-week');
    const first = page.locator('article.post').first();
    await first.getByRole('button', { name: 'Edit' }).click();
    await first.getByLabel('Post text').fill('Before the first frost, shut the valve to each outdoor faucet.');
    await first.getByRole('button', { name: 'Save & approve' }).click();
    await expect.poll(() => first.getByText('approved · scheduled · edited').count(), { timeout: 15_000 }).toBe(1);
    const second = page.locator('article.post').nth(1);
    await second.getByRole('button', { name: 'Reject…' }).click();
    await second.getByLabel('Why (teaches next week)').fill('too long');
    await second.getByRole('button', { name: 'Reject', exact: true }).click();
    await expect.poll(() => second.getByText('rejected').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await screenshot(page, 'content-desktop-decided');
    await page.screenshot({ path: 'test-artifacts/screenshots/content-desktop-decided-view.png' });
    await ctx.close();
  });

  it('phone: approve all waiting in one tap', async () => {
    const ctx = await newContext(b.browser, PHONE);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, ownerLogin(h.home, A.slug));
    await page.goto(`${h.aios.url}/content`);
    await page.locator('article.post').first().waitFor();
    await screenshot(page, 'content-phone-week');
    await page.screenshot({ path: 'test-artifacts/screenshots/content-phone-view.png' });
    await page.getByRole('button', { name: 'Approve all 8 waiting' }).click();
    await expect.poll(() => page.locator('article.post .badge', { hasText: 'waiting for you' }).count(), { timeout: 15_000 }).toBe(0);
    expect(await page.locator('article.post .badge', { hasText: /^approved · scheduled/ }).count()).toBe(9);
    await screenshot(page, 'content-phone-approved');
    await page.screenshot({ path: 'test-artifacts/screenshots/content-phone-approved-view.png' });
    await ctx.close();
  });
});
