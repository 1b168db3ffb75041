import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { homePaths } from '../../src/core/config.js';

/** Debian's Chromium (installed by `scripts/test-services.sh`; never a downloaded browser). */
export const CHROMIUM = '/usr/bin/chromium';
/** Where browser tests save their screenshots (a CI artefact; not committed). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-artifacts', 'screenshots');

/** Phone (390×844, touch) and desktop (1280×860) viewports. */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;
export const DESKTOP = { viewport: { width: 1280, height: 860 } } as const;

/** One headless Chromium for a test file (Playwright gives it a temporary profile of its own). */
export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run "sudo scripts/test-services.sh up" (it installs Debian's chromium; never download a browser with playwright)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return { browser, close: () => browser.close() };
}

/** A fresh browser context (own cookies) at phone or desktop size. */
export async function newContext(browser: Browser, size: typeof PHONE | typeof DESKTOP = DESKTOP): Promise<BrowserContext> {
  return browser.newContext({ ...size });
}

/** The generated first login of a business's owner (`AIOS_HOME/dashboard-logins/<slug>`). */
export function ownerLogin(home: string, slug: string): { email: string; password: string } {
  const [email, password] = readFileSync(join(homePaths(home).dashboardLogins, slug), 'utf8').trim().split(/\s+/);
  return { email: email!, password: password! };
}

/** Opens the dashboard and logs in through its login form; resolves when the navigation shows. */
export async function logIn(page: Page, baseUrl: string, login: { email: string; password: string }): Promise<void> {
  await page.goto(baseUrl + '/');
  await page.getByLabel('Email').fill(login.email);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).or(page.getByRole('navigation', { name: 'Pages' })).first().waitFor();
}

/** Saves a full-page screenshot as `test-artifacts/screenshots/<name>.png`; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
