import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { startHarness, AUTO_POLICY, type Harness } from '../support/harness.js';
import { launchBrowser, newContext, ownerLogin, logIn, screenshot, PHONE, DESKTOP } from '../support/dashboard-browser.js';
import { addLoginUser } from '../support/dashboard-session.js';
import { seedLedgerHistory, LEDGER_NOW } from '../support/ledger-seed.js';
import { ManualClock } from '../../src/core/clock.js';

/**
 * The Ledger page in Chromium: the headline cards say measured / set / assumed, the four uPlot
 * charts draw, the owner changes the minutes a missed call saves and the hours follow (written
 * into tenant.yaml); staff see the same numbers read-only. Phone (390×844) and desktop screenshots.
 */
const A = { slug: 'acme', phone: '+14165550100' };
let h: Harness;
let b: { browser: Browser; close(): Promise<void> };
const STAFF = { name: 'Sam', email: 'sam@acme.example', password: 'staff-password-1234', role: 'staff' as const, slugs: [A.slug] };

beforeAll(async () => {
  h = await startHarness([{ ...A, policy: AUTO_POLICY }], { clock: new ManualClock(LEDGER_NOW) });
  const t = h.aios.services.tenants.all().find((x) => x.slug === A.slug)!.id;
  const db = h.aios.services.db;
  await seedLedgerHistory(db, t, 'a_');
  // Twelve weeks of AIOS's work so the charts have a shape: texts back and lead answers every week.
  await sql`insert into ledger (id, tenant_id, run_id, category, response_ms, ai_cost_micros, created_at)
    select 'w_' || i, ${t}, 'w_' || i, case when i % 3 = 0 then 'lead_response' else 'missed_call_text_back' end,
           20000 + (i % 7) * 5000, case when i % 4 = 0 then 40000 else 0 end, ${LEDGER_NOW}::timestamptz - (i * interval '13 hours')
    from generate_series(1, 150) i`.execute(db);
  await addLoginUser(h, STAFF);
  b = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await b?.close();
  await h?.stop();
});

describe('ledger page', () => {
  it('phone: headline cards with their provenance, four charts, and the owner edits the minutes', async () => {
    const ctx = await newContext(b.browser, PHONE);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, ownerLogin(h.home, A.slug));
    await page.goto(`${h.aios.url}/ledger`);
    await page.getByRole('heading', { name: 'Ledger' }).waitFor();
    const hours = page.locator('.ledger-card').filter({ hasText: 'Hours saved' });
    await hours.waitFor();
    expect(await hours.getByText('assumed').count()).toBe(1);
    expect(await page.locator('.ledger-card').filter({ hasText: 'ROI' }).locator('.stat').textContent()).toMatch(/^\d+(\.\d+)?×$/);
    await expect.poll(() => page.locator('.week-chart canvas').count()).toBe(4);
    for (const name of ['Hours saved per week', 'First reply to a lead (median)', 'Money recovered per week', 'Cost per week']) expect(await page.getByRole('figure', { name }).count()).toBe(1);
    await screenshot(page, 'ledger-phone');
    await page.screenshot({ path: 'test-artifacts/screenshots/ledger-phone-top-view.png' });
    for (const [name, file] of [['Hours saved per week', 'charts'], ['Money recovered per week', 'charts2']]) {
      await page.getByRole('figure', { name }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: `test-artifacts/screenshots/ledger-phone-${file}-view.png` });
    }

    const before = Number((await hours.locator('.stat').textContent())!.replace(' h', ''));
    const input = page.getByLabel('Minutes for Missed call texted back');
    expect(await input.inputValue()).toBe('3');
    await input.fill('6');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved 1 change to tenant.yaml.' }).waitFor();
    const missed = (await h.api(h.aios.cliTokens.get(A.slug)!, 'GET', '/api/v1/ledger/summary?weeks=12')).json.byCategory.find((c: any) => c.category === 'missed_call_text_back');
    await expect.poll(async () => Number((await hours.locator('.stat').textContent())!.replace(' h', ''))).toBeCloseTo(before + (missed.actions * 3) / 60, 1);
    expect(await page.getByLabel('Minutes for Missed call texted back').locator('xpath=..').getByText('set by you').count()).toBe(1);
    expect(readFileSync(join(h.home, 'tenants', A.slug, 'tenant.yaml'), 'utf8')).toMatch(/roi:\n\s+minutes:\n\s+missed_call_text_back: 6/);
    await page.locator('.ledger-minutes').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-artifacts/screenshots/ledger-phone-minutes-view.png' });
    await ctx.close();
  });

  it('desktop: the same page in columns', async () => {
    const ctx = await newContext(b.browser, DESKTOP);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, ownerLogin(h.home, A.slug));
    await page.goto(`${h.aios.url}/ledger`);
    await expect.poll(() => page.locator('.week-chart canvas').count()).toBe(4);
    const actions = page.locator('.ledger-card').filter({ hasText: 'Hours saved' }).getByText(/ actions$/);
    const twelve = await actions.textContent();
    await page.getByLabel('Period').selectOption('4');
    await expect.poll(() => actions.textContent()).not.toBe(twelve);
    await page.getByLabel('Period').selectOption('12');
    await expect.poll(() => page.locator('.week-chart canvas').count()).toBe(4);
    await screenshot(page, 'ledger-desktop');
    await ctx.close();
  });

  it('staff: the numbers read-only, no Save', async () => {
    const ctx = await newContext(b.browser, PHONE);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, { email: STAFF.email, password: STAFF.password });
    await page.goto(`${h.aios.url}/ledger`);
    await page.getByText('Owners and implementers change these numbers.').waitFor();
    expect(await page.locator('.ledger-minutes input').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await page.locator('.ledger-minutes').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-artifacts/screenshots/ledger-phone-staff-view.png' });
    await ctx.close();
  });
});
