import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startHarness, AUTO_POLICY, type Harness } from '../support/harness.js';
import { launchBrowser, newContext, ownerLogin, logIn, screenshot, PHONE, DESKTOP } from '../support/dashboard-browser.js';
import { MORTGAGE_DIR, mortgageFile } from '../support/mortgage-data.js';
import { ManualClock } from '../../src/core/clock.js';

/**
 * The Documents page in Chromium: a package of shared scans shows its verdict and each exception
 * with its evidence (file, page, text seen), the page opening from its link, the week's
 * first-check rate; staff waive one with a reason (the button stays off
 * without one); a scan uploaded from the page is read and checked. Phone and desktop screenshots.
 */
const A = { slug: 'ficus', phone: '+14165550620' };
let h: Harness;
let b: { browser: Browser; close(): Promise<void> };
let pkg: string;

beforeAll(async () => {
  h = await startHarness([{ ...A, policy: AUTO_POLICY, files: { 'checklists/income-check.yaml': `id: income-check\nlabel: Income and identity\nitems:\n  - { id: pay_stub, label: Recent pay stub, types: [pay_stub], max_age_days: 30, must_name: borrower }\n  - { id: government_id, label: Government ID, types: [government_id], must_name: borrower, not_expired: true }\n  - { id: w2, label: W-2, types: [w2] }\n` } }], { clock: new ManualClock('2008-09-15T15:00:00Z') });
  const token = h.aios.cliTokens.get(A.slug)!;
  pkg = (await h.api(token, 'POST', '/api/v1/document-packages', { name: 'Stiles purchase', checklist: 'income-check', borrowers: ['John Stiles'], clientEmail: 'john@client.example' })).json.id;
  for (const f of ['lending_package_pay_stub.pdf', 'lending_package_ID_Card.pdf']) {
    const r = await fetch(`${h.aios.url}/api/v1/document-uploads/${pkg}?name=${f}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' }, body: mortgageFile(f).bytes });
    expect(r.status).toBe(200);
  }
  b = await launchBrowser();
});
afterAll(async () => {
  await b?.close();
  await h?.stop();
});

describe('documents page', () => {
  it('phone: the exception report with evidence; waive needs a reason', async () => {
    const ctx = await newContext(b.browser, PHONE);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, ownerLogin(h.home, A.slug));
    await page.goto(`${h.aios.url}/documents`);
    await expect.poll(() => page.getByTestId('verdict').textContent()).toBe('Not ready: 3 open exceptions.');
    const stale = page.locator('[data-exception=stale]');
    expect(await stale.textContent()).toContain('lending_package_pay_stub.pdf, page 1: Pay date: 7/25/2008');
    expect(await page.locator('[data-exception=name_mismatch]').textContent()).toContain('names Maria Garcia, not the borrower John Stiles');
    // The evidence opens the page it points at: a one-page PDF of the uploaded scan, for this session.
    const link = stale.getByRole('link', { name: 'lending_package_pay_stub.pdf, page 1' });
    expect(await link.getAttribute('href')).toBe(`/api/v1/document-packages/${pkg}/files/lending_package_pay_stub.pdf/pages/1`);
    const opened = await page.request.get(`${h.aios.url}${await link.getAttribute('href')}`);
    expect(opened.status()).toBe(200);
    expect(opened.headers()['content-type']).toBe('application/pdf');
    expect((await opened.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // The week's first-check rate: one package, first checked with exceptions.
    expect(await page.locator('.qc-weeks li[data-week="2008-09-15"]').textContent()).toContain('100% · 1 of 1 · 0.2 h');
    await screenshot(page, 'documents-phone');
    const waive = stale.getByRole('button', { name: 'Waive' });
    expect(await waive.isDisabled()).toBe(true);
    await stale.getByLabel('Reason to waive').fill('lender accepts a 60-day stub');
    await waive.click();
    await expect.poll(() => page.getByTestId('verdict').textContent()).toBe('Not ready: 2 open exceptions.');
    expect(await page.locator('[data-exception=stale]').textContent()).toContain('Reason: lender accepts a 60-day stub');
    await screenshot(page, 'documents-phone-waived');
    await ctx.close();
  });

  it('desktop: upload a scan from the page; it is read, classified and checked', async () => {
    const ctx = await newContext(b.browser, DESKTOP);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, ownerLogin(h.home, A.slug));
    await page.goto(`${h.aios.url}/documents`);
    await page.getByTestId('verdict').waitFor();
    await page.locator('input[type=file]').setInputFiles(join(MORTGAGE_DIR, 'lending_package_w2.pdf'));
    await expect.poll(() => page.getByTestId('verdict').textContent(), { timeout: 60_000 }).toBe('Not ready: 1 open exception.');
    expect(await page.locator('.rtable').textContent()).toContain('lending_package_w2.pdf');
    expect(await page.locator('[data-exception=missing]').count()).toBe(0);
    await screenshot(page, 'documents-desktop');
    await ctx.close();
  });
});
