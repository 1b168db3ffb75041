import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHarness, APPROVE_FIRST_POLICY, type Harness } from '../support/harness.js';
import { DESKTOP, PHONE, launchBrowser, logIn, newContext, ownerLogin, screenshot } from '../support/dashboard-browser.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { seedRecords } from '../support/records-seed.js';
import { simpleParser } from 'mailparser';
import { ManualClock } from '../../src/core/clock.js';

/**
 * The BriefCard on Today in a real Chromium, phone (390×844) and desktop: before the first brief
 * it says when it comes; once the scheduler made it, the four sections, "Emailed at 7:31 AM", and
 * each waiting item links to where it is acted on. Screenshots in test-artifacts/screenshots.
 */
const tenantYaml = `slug: acme
name: Acme Plumbing
time_zone: America/Toronto
phone: "+14165550100"
owner:
  name: Dana
  phone: "+14165550111"
  email: dana@acme.example
profile:
  tone: friendly
  average_job_value: 350
brief:
  daily_at: "07:30"
`;
const A = { slug: 'acme', phone: '+14165550100', policy: APPROVE_FIRST_POLICY, files: { 'tenant.yaml': tenantYaml } };
// Today, 07:00 in Toronto (UTC−5 in winter, −4 in summer: the brief's own arithmetic is tested elsewhere).
const today = new Date();
const seven = (h: number, m: number) => {
  const utc = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), h, m));
  const offsetH = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/Toronto', hour: 'numeric', hourCycle: 'h23' }).format(utc)) - h;
  return new Date(utc.getTime() - offsetH * 3_600_000);
};
const clock = new ManualClock(seven(7, 0));
let h: Harness;
let smtp: SmtpSink;
let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  smtp = await startSmtpSink();
  h = await startHarness([A], { clock, config: { AIOS_SMTP_URL: smtp.url, AIOS_SMTP_FROM: '"AIOS" <aios@acme.example>' } });
  await h.aios.briefs.firstPass;
  await seedRecords(h.aios.db, A.slug, clock.now().getTime());
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  await closeBrowser?.();
  await h?.stop();
  await smtp?.close();
});

async function open(size: typeof PHONE | typeof DESKTOP): Promise<Page> {
  const page = await (await newContext(browser, size)).newPage();
  await logIn(page, h.aios.url, ownerLogin(h.home, A.slug));
  await page.goto(h.aios.url + '/');
  return page;
}
const noSideScroll = async (page: Page) => Boolean(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'));

describe('the brief on Today', () => {
  it('before the first brief: says when it comes and where it goes', async () => {
    for (const [label, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
      const page = await open(size);
      const card = page.locator('.brief-empty');
      await card.waitFor({ timeout: 10_000 });
      expect(await card.innerText()).toContain('Your first brief comes at 07:30 (America/Toronto)');
      expect(await card.innerText()).toContain('It is also emailed to dana@acme.example.');
      expect(await noSideScroll(page)).toBe(true);
      await page.waitForLoadState('networkidle');
      await screenshot(page, `brief-empty-${label}`);
      await page.context().close();
    }
    expect(smtp.received).toHaveLength(0);
  });

  it('at 07:31 the scheduler makes and emails it; the card shows it, emailed at 7:31 AM, items linking to the dashboard', async () => {
    clock.set(seven(7, 31));
    const pass = await h.aios.briefs.runNow();
    expect(pass.sent).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
    for (const [label, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
      const page = await open(size);
      const card = page.locator('.card.brief').first();
      // The browser's hour cycle (Chromium here: en-US), as every time in the dashboard.
      await card.getByText(/^Emailed at 7:31\s?AM$/).waitFor({ timeout: 10_000 });
      for (const title of ['What came in', 'What AIOS did', 'What waits for you', 'Money at risk']) await card.getByRole('region', { name: title }).waitFor();
      const waits = card.getByRole('region', { name: 'What waits for you' });
      expect(await waits.innerText()).toMatch(/open signals? wait for you, oldest first\./);
      expect(await card.getByRole('region', { name: 'Money at risk' }).innerText()).toContain('overdue');
      expect(await noSideScroll(page)).toBe(true);
      await page.waitForLoadState('networkidle');
      await screenshot(page, `brief-card-${label}`);
      if (label === 'desktop') {
        await waits.getByRole('link').filter({ hasText: 'Signal' }).first().click();
        await page.waitForURL(/\/signals$/);
      }
      await page.context().close();
    }
  });

  it('the mails as the owner reads them: the daily brief and the weekly report with its chart, phone and desktop', async () => {
    const weekly = await h.api(h.aios.cliTokens.get(A.slug)!, 'POST', '/api/v1/brief/send', { kind: 'weekly' });
    expect(weekly.json.brief).toMatchObject({ kind: 'weekly', emailed: true });
    expect(smtp.received).toHaveLength(2);
    const [daily, report] = await Promise.all(smtp.received.map((r) => simpleParser(r)));
    for (const [name, mail] of [['daily', daily!], ['weekly', report!]] as const) {
      expect(mail.html).toBeTruthy();
      for (const [label, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
        const page = await (await newContext(browser, size)).newPage();
        await page.setContent(String(mail.html));
        expect(await noSideScroll(page)).toBe(true);
        if (name === 'weekly') expect(Number(await page.evaluate('document.querySelector("img").naturalWidth'))).toBe(1040);
        await screenshot(page, `brief-mail-${name}-${label}`);
        await page.context().close();
      }
    }
  });
});
