import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { startHarness, AUTO_POLICY, type Harness } from '../support/harness.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { startOpenAIStub, type OpenAIStub } from '../support/openai-stub.js';
import { launchBrowser, newContext, logIn, screenshot, PHONE, DESKTOP } from '../support/dashboard-browser.js';
import { addLoginUser, httpLogin, sessionFetch } from '../support/dashboard-session.js';
import { ManualClock } from '../../src/core/clock.js';

/**
 * The Client reports page in Chromium: an implementer of three businesses sees the week's three
 * reports (never a fourth business's), the model's invented numbers marked in the summary; select
 * all + approve sends the two clean ones and refuses the flagged one until its "I checked these
 * numbers" is ticked; each owner's mail arrives in the SMTP sink. Phone and desktop screenshots.
 */
const yaml = (slug: string, name: string, n: string) => `slug: ${slug}\nname: ${name}\ntime_zone: America/Toronto\ncurrency: USD\nlocale: en-US\nphone: "+1416555${n}"\nowner:\n  name: Owner\n  email: owner@${slug}.example\n`;
const T = (slug: string, name: string, n: string) => ({ slug, phone: `+1416555${n}`, policy: AUTO_POLICY, files: { 'tenant.yaml': yaml(slug, name, n) } });
const WEEK = '2026-W48';
const LOGIN = { email: 'ada@agency.example', password: 'agency-password-1234' };
let h: Harness;
let smtp: SmtpSink;
let stub: OpenAIStub;
let b: { browser: Browser; close(): Promise<void> };
const reportMails = async () => (await Promise.all(smtp.received.map((x) => simpleParser(x)))).filter((m) => /your weekly report/.test(m.subject ?? ''));

beforeAll(async () => {
  smtp = await startSmtpSink();
  stub = await startOpenAIStub();
  h = await startHarness([T('acme', 'Acme Plumbing', '0100'), T('beta', 'Beta Roofing', '0200'), T('cora', 'Cora Coaching', '0300'), T('zed', 'Zed Secret Co', '0400')], {
    clock: new ManualClock('2026-12-02T14:10:00Z'), config: { AIOS_SMTP_URL: smtp.url, AIOS_SMTP_FROM: 'reports@agency.example' }, env: { AIOS_LLM: `openai:gpt-4.1-mini@${stub.url}`, OPENAI_API_KEY: 'sk-test' },
  });
  await addLoginUser(h, { name: 'Ada Agency', ...LOGIN, role: 'implementer', slugs: ['acme', 'beta', 'cora'] });
  const s = await httpLogin(h.aios.url, LOGIN.email, LOGIN.password, 'acme');
  const ads = readFileSync(join(import.meta.dirname, '../fixtures/ads/google-ads-campaigns.csv'));
  const up = await fetch(`${h.aios.url}/api/v1/client-reports/ads?business=acme&name=google.csv`, { method: 'POST', headers: { cookie: s.cookie, 'x-aios-csrf': s.csrf, 'content-type': 'text/csv' }, body: new Uint8Array(ads) });
  expect(up.status).toBe(200);
  // Acme's summary comes from a model that invents numbers; Beta's and Cora's model replies are
  // nonsense, so they get the template.
  stub.enqueue({ content: JSON.stringify({ summary: 'Acme Plumbing saved 40 hours in the week of Nov 23, with an ROI of 12× and ads costing $1,144.00.' }) });
  expect((await sessionFetch(h.aios.url, s, 'POST', '/api/v1/client-reports/make', { week: WEEK, businesses: ['acme'] })).status).toBe(200);
  b = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await b?.close();
  await h?.stop();
  await smtp?.close();
  await stub?.close();
});

describe('client reports page', () => {
  it('phone: make the week\'s reports, see the unchecked numbers, select all and approve; the flagged one needs its confirmation', async () => {
    const ctx = await newContext(b.browser, PHONE);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, LOGIN);
    await page.goto(`${h.aios.url}/client-reports`);
    await page.getByRole('heading', { name: 'Client reports' }).waitFor();
    await page.getByLabel('Week').fill(WEEK);
    await page.getByRole('button', { name: 'Make reports' }).click();
    await page.getByRole('status').filter({ hasText: 'Made 2 reports.' }).waitFor();
    await expect.poll(() => page.locator('.cr-card').count()).toBe(3);
    expect(await page.getByText('Zed Secret Co').count()).toBe(0);
    const acme = page.locator('[data-report=acme]');
    expect(await acme.locator('mark.cr-unchecked').allTextContents()).toEqual(['40 hours', '12×']);
    expect(await acme.getByText('2 numbers not in the figures:').count()).toBe(1);
    expect(await page.locator('[data-report=beta]').getByText('Every number in the summary is in the figures.').count()).toBe(1);
    await screenshot(page, 'client-reports-phone');
    await page.screenshot({ path: 'test-artifacts/screenshots/client-reports-phone-view.png' });

    await page.getByLabel('Select all (3)').check();
    await page.getByRole('button', { name: 'Approve and send 3' }).click();
    await page.getByRole('status').filter({ hasText: '2 sent, 1 not approved (see below).' }).waitFor();
    expect(await acme.getByRole('alert').textContent()).toContain('"40 hours", "12×"');
    expect((await reportMails()).map((m) => (m.to as any).text).sort()).toEqual(['owner@beta.example', 'owner@cora.example']);
    await page.screenshot({ path: 'test-artifacts/screenshots/client-reports-phone-after-view.png' });

    await acme.getByLabel('I checked these numbers; send anyway').check();
    await page.getByRole('button', { name: 'Approve and send 1' }).click();
    await page.getByRole('status').filter({ hasText: '1 sent.' }).waitFor();
    await expect.poll(async () => (await reportMails()).length).toBe(3);
    const acmeMail = (await reportMails()).find((m) => (m.to as any).text === 'owner@acme.example')!;
    expect(acmeMail.attachments[0]!.contentType).toBe('application/pdf');
    await expect.poll(() => page.locator('.badge', { hasText: /^sent$/ }).count()).toBe(3);
    expect(await page.getByRole('button', { name: /Approve and send/ }).count()).toBe(0);
    await ctx.close();
  });

  it('desktop: the sent week in columns, with its PDFs', async () => {
    const ctx = await newContext(b.browser, DESKTOP);
    const page = await ctx.newPage();
    await logIn(page, h.aios.url, LOGIN);
    await page.goto(`${h.aios.url}/client-reports`);
    await page.getByLabel('Week').fill(WEEK);
    await expect.poll(() => page.locator('.cr-card').count()).toBe(3);
    const pdf = await page.locator('[data-report=acme]').getByRole('link', { name: 'PDF' }).getAttribute('href');
    const res = await page.request.get(`${h.aios.url}${pdf}`);
    expect(res.headers()['content-type']).toBe('application/pdf');
    await screenshot(page, 'client-reports-desktop');
    await ctx.close();
  });
});
