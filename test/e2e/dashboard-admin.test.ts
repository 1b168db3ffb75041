import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHarness, AUTO_POLICY, type Harness } from '../support/harness.js';
import { launchBrowser, newContext, ownerLogin, logIn, screenshot, PHONE, DESKTOP } from '../support/dashboard-browser.js';
import { addLoginUser } from '../support/dashboard-session.js';

/**
 * The admin pages in Chromium: an implementer of two businesses switches between them and never
 * sees a third; staff see the settings but cannot change them (disabled, and the server says 403);
 * the owner edits hours and policy (a bad policy shows every problem and changes nothing); a
 * question the knowledge could not answer is answered from the page and then answered.
 */
let h: Harness;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let url: string;
const STAFF = { name: 'Sam Staff', email: 'sam@acme.test', password: 'staff password 123' };
const IMPL = { name: 'Ivy Implementer', email: 'ivy@agency.test', password: 'implementer pass 123' };

beforeAll(async () => {
  h = await startHarness([
    { slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY, files: { 'knowledge/acme-prices.md': '# Acme prices\n\n- Drain cleaning: $180\n', 'knowledge/offers/fall.md': '---\nvalid_until: 2020-01-31\n---\n# Fall special\n\n10% off drain cleaning.\n' } },
    { slug: 'beta', phone: '+14165550200', policy: AUTO_POLICY, files: { 'knowledge/beta-handbook.md': '# Beta handbook\n\nWe clean windows.\n' } },
    { slug: 'gamma', phone: '+14165550300', policy: AUTO_POLICY, files: { 'knowledge/gamma-secret.md': '# Gamma secret\n\nNot for others.\n' } },
  ]);
  url = h.aios.url;
  await addLoginUser(h, { ...STAFF, role: 'staff', slugs: ['acme'] });
  await addLoginUser(h, { ...IMPL, role: 'implementer', slugs: ['acme', 'beta'] });
  const acme = h.aios.services.tenants.all().find((t) => t.slug === 'acme')!;
  await h.aios.services.db.insertInto('connections').values({ id: 'conn_acme_mail', tenant_id: acme.id, kind: 'imap', name: 'Shop mailbox', status: 'auth_failed', last_error: 'the server refused the login (AUTHENTICATIONFAILED)', last_sync_at: new Date(Date.now() - 3 * 3600_000) }).execute();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  await closeBrowser?.();
  await h?.stop();
});

async function openFiles(page: Page): Promise<void> {
  await page.goto(`${url}/knowledge`);
  await page.getByRole('tab', { name: 'Files' }).click();
  await page.getByText(/^Files \([1-9]\d*\)$/).waitFor();
}

describe('implementer', () => {
  it('switches business and sees only the assigned businesses', async () => {
    const ctx = await newContext(browser, DESKTOP);
    const page = await ctx.newPage();
    await logIn(page, url, IMPL);
    const options = await page.getByLabel('Business').locator('option').allTextContents();
    expect(options.sort()).toEqual(['acme Co', 'beta Co']);
    await openFiles(page);
    await page.getByText('Acme prices').waitFor();
    await expect(page.getByText('Beta handbook').count()).resolves.toBe(0);
    await screenshot(page, 'admin-knowledge-files-implementer-acme-desktop');
    await page.getByLabel('Business').selectOption({ label: 'beta Co' });
    await page.waitForURL(`${url}/`);
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    await openFiles(page);
    await page.getByText('Beta handbook').waitFor();
    await expect(page.getByText('Acme prices').count()).resolves.toBe(0);
    await expect(page.getByText('Gamma secret').count()).resolves.toBe(0);
    await ctx.close();
  });
});

describe('staff', () => {
  it('sees the settings with the controls disabled, and the server refuses a direct change (403)', async () => {
    const ctx = await newContext(browser, PHONE);
    const page = await ctx.newPage();
    await logIn(page, url, STAFF);
    await page.goto(`${url}/settings`);
    const policy = page.getByLabel('Policy', { exact: true });
    await policy.waitFor();
    expect(await policy.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save policy' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save hours' }).isDisabled()).toBe(true);
    await page.getByText('Only the owner (or the business\'s implementer) can change the policy').waitFor();
    await screenshot(page, 'admin-settings-staff-phone');
    const path = join(h.home, 'tenants', 'acme', 'policy.yaml');
    const before = readFileSync(path, 'utf8');
    const status = await page.evaluate(async () => {
      const s = (await (await fetch('/auth/session')).json()) as { csrf: string };
      const r = await fetch('/api/v1/settings/policy', { method: 'PUT', headers: { 'content-type': 'application/json', 'x-aios-csrf': s.csrf }, body: JSON.stringify({ text: 'version: 1\ndefault: auto\n' }) });
      return r.status;
    });
    expect(status).toBe(403);
    expect(readFileSync(path, 'utf8')).toBe(before);
    await ctx.close();
  });
});

describe('owner', () => {
  it('edits business hours, and a bad policy shows its problems and changes nothing', async () => {
    const ctx = await newContext(browser, DESKTOP);
    const page = await ctx.newPage();
    await logIn(page, url, ownerLogin(h.home, 'acme'));
    await page.goto(`${url}/settings`);
    await page.getByLabel('Mon closes').fill('16:30');
    await page.getByRole('button', { name: 'Save hours' }).click();
    await page.getByText('Hours saved.').waitFor();
    expect(readFileSync(join(h.home, 'tenants', 'acme', 'tenant.yaml'), 'utf8')).toMatch(/mon: \[ "?08:00"?, "?16:30"? \]/);

    const path = join(h.home, 'tenants', 'acme', 'policy.yaml');
    const before = readFileSync(path, 'utf8');
    await page.getByLabel('Policy', { exact: true }).fill('version: 1\ndefualt: auto\nactions:\n  sms.send: sometimes\n');
    await page.getByRole('button', { name: 'Save policy' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Not saved' });
    await alert.waitFor();
    const text = await alert.textContent();
    expect(text).toContain('defualt');
    expect(text).toContain('did you mean "default"');
    expect(text).toContain('actions.sms.send');
    expect(text).toContain('Nothing was changed');
    expect(readFileSync(path, 'utf8')).toBe(before);
    await screenshot(page, 'admin-settings-owner-bad-policy-desktop');

    await page.getByLabel('Policy', { exact: true }).fill(before.replace('first_contact: auto', 'first_contact: approve'));
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Policy saved and in force.').waitFor();
    expect(readFileSync(path, 'utf8')).toContain('first_contact: approve');
    await ctx.close();
  });

  it('answers a knowledge gap from the page, and the knowledge then answers', async () => {
    const ctx = await newContext(browser, PHONE);
    const page = await ctx.newPage();
    await logIn(page, url, ownerLogin(h.home, 'acme'));
    await page.goto(`${url}/knowledge`);
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByLabel('Question').fill('Do you repair hot tubs?');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.getByText("I'll ask the owner").waitFor();
    await page.getByRole('tab', { name: 'To answer' }).click();
    const box = page.getByLabel('Answer: Do you repair hot tubs?');
    await box.waitFor();
    await screenshot(page, 'admin-knowledge-gaps-owner-phone');
    await box.fill('No, we do not repair hot tubs; we do repair the plumbing that feeds them.');
    await page.getByRole('button', { name: 'Save answer' }).click();
    await page.getByText('No open questions.').waitFor();
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByLabel('Question').fill('Do you repair hot tubs?');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.getByLabel('Answer').getByText('answered', { exact: true }).waitFor();
    expect(await page.getByLabel('Answer').textContent()).toContain('plumbing that feeds them');
    await screenshot(page, 'admin-knowledge-answered-owner-phone');
    await ctx.close();
  });

  it('every admin page on a phone and a desktop (screenshots)', async () => {
    for (const [size, label] of [[PHONE, 'phone'], [DESKTOP, 'desktop']] as const) {
      const ctx = await newContext(browser, size);
      const page = await ctx.newPage();
      await logIn(page, url, ownerLogin(h.home, 'acme'));
      for (const p of ['settings', 'knowledge', 'connections', 'playbooks']) {
        await page.goto(`${url}/${p}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        if (p === 'connections') {
          await page.getByText('login refused').waitFor();
          await page.getByText('Last error: the server refused the login').waitFor();
          await page.getByRole('button', { name: 'Poll now' }).waitFor();
        }
        if (p === 'knowledge') {
          await page.getByRole('tab', { name: 'Files' }).click();
          await page.getByText('expired 2020-01-31').waitFor();
        }
        await screenshot(page, `admin-${p}-owner-${label}`);
      }
      await ctx.close();
    }
  });
});
