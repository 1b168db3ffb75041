import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { startHarness, AUTO_POLICY, type Harness } from '../support/harness.js';
import { launchBrowser, newContext, logIn, screenshot, PHONE, DESKTOP } from '../support/dashboard-browser.js';
import { addLoginUser } from '../support/dashboard-session.js';
import { seedLedgerHistory, LEDGER_NOW } from '../support/ledger-seed.js';
import { ManualClock } from '../../src/core/clock.js';

/**
 * The Agency page in Chromium: an implementer of two businesses sees both (table on desktop, cards
 * on a phone), creates a third from a template (a wrong number is shown at the phone field), and
 * opens it; a staff member of one business has no Agency entry. Screenshots at phone and desktop.
 */
let h: Harness;
let b: { browser: Browser; close(): Promise<void> };
const IVY = { name: 'Ivy Implementer', email: 'ivy@agency.example', password: 'ivy-password-1234', role: 'implementer' as const, slugs: ['acme', 'birch'] };
const SAM = { name: 'Sam', email: 'sam@acme.example', password: 'staff-password-1234', role: 'staff' as const, slugs: ['acme'] };

beforeAll(async () => {
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }, { slug: 'birch', phone: '+14165550200', policy: AUTO_POLICY }], { clock: new ManualClock(LEDGER_NOW) });
  const { db, tenants } = h.aios.services;
  const acme = tenants.all().find((x) => x.slug === 'acme')!.id;
  await seedLedgerHistory(db, acme, 'a_');
  await sql`insert into runs (id, tenant_id, playbook, version, status, trigger_type, trigger_ref) values ('r', ${acme}, 'missed-call-text-back', 2, 'waiting', 'signal', 'r')`.execute(db);
  await sql`insert into approvals (id, tenant_id, run_id, step_id, action_kind, proposal, reasons, status, deadline) values ('ap1', ${acme}, 'r', 's', 'sms.send', '{}', '[]', 'pending', '2026-03-12T00:00:00Z')`.execute(db);
  await sql`insert into connections (id, tenant_id, kind, name, credentials_encrypted, cursor, status, last_error) values ('c1', ${acme}, 'imap', 'Office mail', 'x', '{}', 'auth_failed', 'login refused')`.execute(db);
  await addLoginUser(h, IVY);
  await addLoginUser(h, SAM);
  b = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await b?.close();
  await h?.stop();
});

describe('agency page', () => {
  it('desktop: both businesses in a table, a new one from a template with a field error first, then open it', async () => {
    const ctx = await newContext(b.browser, DESKTOP);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, IVY);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Agency' }).click();
    await page.getByRole('heading', { name: 'Agency' }).waitFor();
    const acme = page.locator('tr[data-business="acme"]');
    await acme.waitFor();
    expect(await page.locator('tr[data-business]').count()).toBe(2);
    expect(await acme.textContent()).toContain('1 approval');
    expect(await acme.textContent()).toContain('Office mail failing: login refused');
    expect(await acme.locator('td[data-label="Hours saved (mo)"]').textContent()).toBe('0.5');
    await screenshot(page, 'agency-desktop');

    await page.getByRole('button', { name: 'New business' }).click();
    await page.getByLabel('Template').selectOption('plumber');
    await page.getByLabel('Business name').fill('Cedar Plumbing');
    expect(await page.getByLabel('Short name').inputValue()).toBe('cedar-plumbing');
    await page.getByLabel('Its phone number').fill('12');
    await page.getByLabel('Time zone').fill('America/Toronto');
    await page.getByLabel("Owner's name").fill('Cy Cedar');
    await page.getByRole('button', { name: 'Create business' }).click();
    const phoneError = page.locator('label.has-error').filter({ hasText: 'Its phone number' }).locator('.field-error');
    await phoneError.waitFor();
    expect(await phoneError.textContent()).toMatch(/phone number/);
    await screenshot(page, 'agency-desktop-field-error');
    await page.getByLabel('Its phone number').fill('+14165550300');
    await page.getByRole('button', { name: 'Create business' }).click();
    await page.getByRole('status').filter({ hasText: 'Created cedar-plumbing' }).waitFor();
    await page.locator('tr[data-business="cedar-plumbing"]').waitFor();
    expect(await page.locator('tr[data-business]').count()).toBe(3);

    await page.locator('tr[data-business="cedar-plumbing"]').getByRole('button', { name: 'Open' }).click();
    await page.waitForURL(`${h.aios.url}/`);
    await expect.poll(async () => (await (await ctx.request.get(`${h.aios.url}/auth/session`)).json()).business?.slug).toBe('cedar-plumbing');
    await ctx.close();
  });

  it('phone: one card per business', async () => {
    const ctx = await newContext(b.browser, PHONE);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, IVY);
    await page.goto(`${h.aios.url}/agency`);
    await page.locator('tr[data-business="acme"]').waitFor();
    const box = await page.locator('tr[data-business="acme"]').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    expect(await page.locator('tr[data-business="acme"] td[data-label="Health"]').isVisible()).toBe(true);
    expect(await page.locator('.agency-table thead').isVisible()).toBe(false);
    await screenshot(page, 'agency-phone');
    await page.getByRole('button', { name: 'New business' }).click();
    await page.getByLabel('Business name').waitFor();
    await page.getByRole('button', { name: 'Create business' }).click();
    await page.locator('.field-error').first().waitFor();
    await screenshot(page, 'agency-phone-form');
    await ctx.close();
  });

  it('staff of one business see no Agency entry', async () => {
    const ctx = await newContext(b.browser, DESKTOP);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, SAM);
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await nav.getByRole('link', { name: 'Today' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Agency' }).count()).toBe(0);
    await ctx.close();
  });
});
