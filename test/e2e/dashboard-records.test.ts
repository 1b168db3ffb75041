import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHarness, eventually, APPROVE_FIRST_POLICY, type Harness } from '../support/harness.js';
import { DESKTOP, PHONE, launchBrowser, logIn, newContext, ownerLogin, screenshot } from '../support/dashboard-browser.js';
import { seedRecords, type SeededRecords } from '../support/records-seed.js';

/**
 * The records pages in a real Chromium against a real AIOS, on a phone (390×844) and a desktop:
 * each page shows the seeded week; the owner moves a deal, cancels a waiting run and marks an
 * invoice paid (the total at risk drops by its balance). Screenshots in test-artifacts/screenshots.
 */
const A = { slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550111', policy: APPROVE_FIRST_POLICY };
let h: Harness;
let seed: SeededRecords;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let waitingRunId: string;

beforeAll(async () => {
  h = await startHarness([A]);
  seed = await seedRecords(h.aios.db, A.slug);
  // A real run waiting for the owner's approval: a missed call from a new number.
  await h.voice('+14165550399', A.phone);
  const approval = await eventually(async () => (await h.api(h.aios.cliTokens.get(A.slug)!, 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.recipient === '+14165550399'), 20_000, 'approval');
  waitingRunId = approval.run_id;
  await eventually(async () => (await h.aios.db.selectFrom('runs').select('status').where('id', '=', waitingRunId).executeTakeFirstOrThrow()).status === 'waiting', 10_000, 'run waiting');
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  await closeBrowser?.();
  await h?.stop();
});

async function open(size: typeof PHONE | typeof DESKTOP): Promise<Page> {
  const ctx = await newContext(browser, size);
  const page = await ctx.newPage();
  await logIn(page, h.aios.url, ownerLogin(h.home, A.slug));
  return page;
}

const PAGES: Array<{ path: string; name: string; shows: string }> = [
  { path: '/contacts', name: 'contacts', shows: 'Marco Bianchi' },
  { path: '/contacts/ct_dana', name: 'contact', shows: 'Side door is open.' },
  { path: '/deals', name: 'deals', shows: 'Bathroom rough-in' },
  { path: '/calendar', name: 'calendar', shows: 'Annual boiler service, 3 units' },
  { path: '/invoices', name: 'invoices', shows: 'INV-1042' },
  { path: '/runs', name: 'runs', shows: 'SMTP 550' },
  { path: '/runs/RUN', name: 'run', shows: 'Timeline' },
  { path: '/signals', name: 'signals', shows: 'Deal stalled' },
];

describe.each([['phone', PHONE], ['desktop', DESKTOP]] as const)('every records page on a %s', (label, size) => {
  it('shows the seeded records', async () => {
    const page = await open(size);
    for (const p of PAGES) {
      await page.goto(h.aios.url + p.path.replace('RUN', waitingRunId));
      await page.getByText(p.shows, { exact: false }).first().waitFor({ timeout: 10_000 });
      await page.waitForLoadState('networkidle');
      await screenshot(page, `records-${p.name}-${label}`);
    }
    const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect(width, 'no sideways scrolling').toBeLessThanOrEqual(size.viewport.width);
    await page.context().close();
  });
});

describe('the owner acts from the pages', () => {
  it('moves a deal on the phone: it leaves "new lead" and shows under "quoted"', async () => {
    const page = await open(PHONE);
    await page.goto(h.aios.url + '/deals');
    await page.getByLabel('Move Water heater replacement to').selectOption('quoted');
    await page.locator('section[aria-label="Stage quoted"]').getByText('Water heater replacement', { exact: true }).waitFor();
    const row = await h.aios.db.selectFrom('deals').select('stage').where('id', '=', seed.deals.heater).executeTakeFirstOrThrow();
    expect(row.stage).toBe('quoted');
    await expect(page.locator('section[aria-label="Stage new lead"]').getByText('Water heater replacement', { exact: true }).count()).resolves.toBe(0);
    await screenshot(page, 'records-deals-moved-phone');
    await page.context().close();
  });

  it('cancels a waiting run on the desktop: the page and the row say cancelled, its approval is gone', async () => {
    const page = await open(DESKTOP);
    await page.goto(`${h.aios.url}/runs/${waitingRunId}`);
    await page.getByRole('button', { name: 'Cancel run…' }).click();
    await page.getByRole('button', { name: 'Yes, stop this run' }).click();
    await page.locator('.contact-head').getByText('cancelled').waitFor();
    await expect(page.getByRole('button', { name: 'Cancel run…' }).count()).resolves.toBe(0);
    const run = await h.aios.db.selectFrom('runs').select('status').where('id', '=', waitingRunId).executeTakeFirstOrThrow();
    expect(run.status).toBe('cancelled');
    const pending = await h.aios.db.selectFrom('approvals').select('id').where('run_id', '=', waitingRunId).where('status', '=', 'pending').execute();
    expect(pending).toEqual([]);
    await screenshot(page, 'records-run-cancelled-desktop');
    await page.context().close();
  });

  it('marks an invoice paid on the phone: the total at risk drops by its balance', async () => {
    const page = await open(PHONE);
    await page.goto(h.aios.url + '/invoices');
    const risk = page.getByTestId('at-risk');
    // Unpaid: 1 200 + 960 + (640 − 200) = 2 600 dollars.
    await expect.poll(async () => risk.textContent()).toContain('2,600');
    await page.locator('tr[data-invoice="inv_open"]').getByRole('button', { name: 'Mark paid' }).click();
    await expect.poll(async () => risk.textContent(), { timeout: 10_000 }).toContain('1,640');
    const inv = await h.aios.db.selectFrom('invoices').select('status').where('id', '=', seed.invoices.open).executeTakeFirstOrThrow();
    expect(inv.status).toBe('paid');
    await screenshot(page, 'records-invoices-paid-phone');
    await page.context().close();
  });
});
