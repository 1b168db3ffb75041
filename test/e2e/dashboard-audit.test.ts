import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, AUTO_POLICY, tenantYaml, type Harness } from '../support/harness.js';
import { launchBrowser, newContext, ownerLogin, logIn, screenshot, PHONE, DESKTOP } from '../support/dashboard-browser.js';
import type { Browser } from 'playwright-core';

/**
 * The owner runs the audit and applies it in Chromium: the questions come prefilled with what
 * history measured (marked), the blueprint ranks the playbooks with their reasoning, the PDF
 * export downloads, Apply puts the top playbooks in shadow (nothing reaches Twilio) and the shadow
 * replay is set beside the estimate. Phone (390×844) and desktop screenshots.
 */
const A = { slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550199' };
const DAY = 86_400_000;
let h: Harness;
let b: { browser: Browser; close(): Promise<void> };

const yaml = tenantYaml({ ...A, policy: AUTO_POLICY })
  .replace('  tone: friendly\n', '  tone: friendly\n  trade: plumbing\n')
  .replace('playbooks:\n  missed-call-text-back:\n', 'playbooks:\n  missed-call-text-back:\n    enabled: false\n');

beforeAll(async () => {
  h = await startHarness([{ ...A, policy: AUTO_POLICY, files: { 'tenant.yaml': yaml } }]);
  const callers = ['+14165550141', '+14165550142', '+14165550143', '+14165550144'];
  for (const [i, c] of callers.entries()) {
    expect((await h.voice(c, A.phone, { callerName: 'Priya Shah' })).status).toBe(200);
    await h.aios.db.updateTable('signals').set({ created_at: new Date(Date.now() - (1 + i * 4) * DAY) }).where('subject', '=', c).execute();
  }
  b = await launchBrowser();
});
afterAll(async () => {
  await b?.close();
  await h?.stop();
});

describe('audit page', () => {
  it('phone: run the audit with measured values prefilled, see the ranked blueprint, apply it in shadow, compare', async () => {
    const ctx = await newContext(b.browser, PHONE);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, ownerLogin(h.home, A.slug));
    await page.goto(`${h.aios.url}/audit`);
    const calls = page.locator('input[name=callsPerWeek]');
    await calls.waitFor();
    expect(await calls.inputValue()).toBe('0.5'); // 4 calls over 8 weeks
    expect(await calls.getAttribute('readonly')).not.toBeNull();
    await expect.poll(() => page.getByText('measured from your history: 4 calls').count()).toBeGreaterThan(0);
    await page.locator('input[name=hourlyValue]').fill('110');
    await screenshot(page, 'audit-phone-questions');
    await page.getByRole('button', { name: 'Score my business' }).click();
    await page.getByRole('heading', { name: 'Blueprint: highest impact per effort first' }).waitFor();
    const first = page.locator('.audit-entry').first();
    expect(await first.locator('.audit-rank').textContent()).toBe('1');
    expect(await first.getByText(/Impact: .* × \$110\/h/).count()).toBe(1);
    await screenshot(page, 'audit-phone-blueprint');
    await page.locator('.audit-entry').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-artifacts/screenshots/audit-phone-blueprint-view.png' });

    const latest = (await h.api(h.aios.cliTokens.get(A.slug)!, 'GET', '/api/v1/audits/latest')).json.audit;
    expect(latest.blueprint.inputs.find((i: any) => i.key === 'hourlyValue')).toMatchObject({ value: 110, source: 'answered' });
    const top = latest.blueprint.ranked.filter((r: any) => r.available && r.impactPerMonth > 0).slice(0, 3).map((r: any) => r.id);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'PDF' }).click()]);
    const pdfPath = await download.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(pdfPath!).subarray(0, 5).toString()).toBe('%PDF-');

    await page.getByRole('button', { name: 'Apply top 3 in shadow' }).click();
    await page.getByText(/^Applied /).waitFor();
    const applied = (await h.api(h.aios.cliTokens.get(A.slug)!, 'GET', '/api/v1/audits/latest')).json.audit.applied;
    expect(applied.map((a: any) => a.playbookId)).toEqual(top);
    await page.getByRole('button', { name: 'Compare shadow results (last 30 days)' }).click();
    await page.getByText(/shadow found/).first().waitFor();
    await screenshot(page, 'audit-phone-applied');
    await page.getByText(/^Applied /).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-artifacts/screenshots/audit-phone-applied-view.png' });
    expect(h.sink.messages).toHaveLength(0);
    await ctx.close();
  });

  it('desktop: the same audit, two columns of questions and the results', async () => {
    const ctx = await newContext(b.browser, DESKTOP);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, ownerLogin(h.home, A.slug));
    await page.goto(`${h.aios.url}/audit`);
    await page.getByRole('heading', { name: 'Blueprint: highest impact per effort first' }).waitFor();
    await page.getByRole('button', { name: 'Compare shadow results (last 30 days)' }).click();
    await page.getByText(/shadow found/).first().waitFor();
    await page.getByRole('button', { name: /Change the answers/ }).click();
    await page.locator('input[name=callsPerWeek]').waitFor();
    await screenshot(page, 'audit-desktop');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: 'test-artifacts/screenshots/audit-desktop-view.png' });
    expect(h.sink.messages).toHaveLength(0);
    await ctx.close();
  });
});
