import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { runCli } from './support/cli-in-process.js';
import { onboardCommand, type OnboardReport } from '../src/cli/onboard-command.js';
import { crawlCommand } from '../src/cli/crawl-command.js';
import type { Target } from '../src/cli/client.js';

/** The non-interactive onboarding, from a fresh business to its checklist, against a running AIOS. */
const FIXTURES = join(import.meta.dirname, 'fixtures/csv');
const ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:job-1@test', 'DTSTAMP:20261201T120000Z', 'DTSTART:20261203T150000Z', 'DTEND:20261203T160000Z', 'SUMMARY:Leak at 12 Oak St', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
const page = (title: string, body: string) => `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;

let h: Harness;
let target: Target;
let web: Server;
let base = '';
let docs: string;

beforeAll(async () => {
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }]);
  target = { url: h.aios.url, token: h.aios.cliTokens.get('acme')!, slug: 'acme', home: h.home };
  web = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page('Acme Plumbing', '<h1>Acme Plumbing</h1><p>Emergency plumbers.</p><a href="/areas">Where we work</a>'));
    if (path === '/areas') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page('Service area', '<h1>Service area</h1><p>We serve Toronto, Mississauga and Brampton.</p>'));
    if (path === '/calendar.ics') return void res.writeHead(200, { 'content-type': 'text/calendar' }).end(ICS);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  docs = mkdtempSync(join(tmpdir(), 'aios-docs-'));
  writeFileSync(join(docs, 'warranty.md'), '---\nkind: policy\ntitle: Warranty\n---\n# Warranty\n\nEvery repair is guaranteed for one year.\n');
  process.env.AIOS_HOME = h.home;
});
afterAll(async () => {
  web?.close();
  rmSync(docs, { recursive: true, force: true });
  await h?.stop();
});

const cli = (...args: string[]) => runCli((p) => { onboardCommand(p, () => target); crawlCommand(p, () => target); }, ...args);

describe('aios onboard --yes', () => {
  it('starts with only the business done', async () => {
    const r = await h.api(target.token, 'GET', '/api/v1/onboarding');
    expect(r.status).toBe(200);
    expect(r.json.steps.filter((s: { done: boolean }) => s.done).map((s: { id: string }) => s.id)).toEqual(['business']);
    expect(r.json.next).toBe('contacts');
    expect(r.json.steps.find((s: { id: string }) => s.id === 'contacts')).toMatchObject({ done: false, command: 'aios import contacts contacts.csv', page: '/setup' });
  });

  it('imports, connects, reads the website and a folder, and reports the checklist — timed', async () => {
    const t0 = Date.now();
    const out = await cli('onboard', '--yes', '--json', '--contacts', join(FIXTURES, 'hubspot-contacts.csv'), '--invoices', join(FIXTURES, 'quickbooks-invoices.csv'), '--calendar-ics', `${base}/calendar.ics`, '--website', `${base}/`, '--folder', docs);
    const seconds = (Date.now() - t0) / 1000;
    const report = JSON.parse(out) as OnboardReport;
    console.log(`onboarding (non-interactive, fresh business → checklist): ${seconds.toFixed(2)} s`);
    expect(report.done.map((d) => d.step)).toEqual(['contacts', 'invoices', 'calendar', 'website', 'folder']);
    const steps = Object.fromEntries(report.checklist.steps.map((s) => [s.id, s]));
    // The HubSpot export has 6 rows: 2 people, a duplicate of one, and 3 rows the import refuses.
    expect(report.done[0]).toEqual({ step: 'contacts', result: '2 imported, 1 updated, 3 rows skipped (hubspot)' });
    expect(steps.contacts).toMatchObject({ done: true, detail: '2 contacts' });
    expect(steps.invoices!.done).toBe(true);
    expect(steps.calendar!.done).toBe(true);
    expect(steps.knowledge).toMatchObject({ done: true, detail: '3 files indexed, 2 website pages' });
    // No IMAP server in this test: mail stays to do, with its next step; the audit is another module's.
    expect(steps.mail).toMatchObject({ done: false, command: 'aios connect imap', page: '/connections' });
    expect(steps.audit!.done).toBe(false);
    expect(report.checklist.doneCount).toBe(5);
    expect(report.skipped).toEqual(['mail']);
    expect(seconds).toBeLessThan(60);
  });

  it('the website answers customers, citing the page', async () => {
    const r = await h.api(target.token, 'POST', '/api/v1/knowledge/ask', { question: 'Do you serve Brampton?' });
    expect(r.json.status).toBe('answered');
    expect(r.json.citations[0]).toMatchObject({ file: 'website/areas.md', url: `${base}/areas` });
  });

  it('aios knowledge crawl prints pages and skips; a second crawl changes nothing', async () => {
    const out = await cli('knowledge', 'crawl', `${base}/`, '--max-pages', '5');
    expect(out).toMatch(/^2 pages read \(0 new or changed, 2 unchanged\), 0 skipped/);
    await expect(cli('knowledge', 'crawl', `${base}/`, '--max-pages', '0')).rejects.toMatchObject({ message: expect.stringContaining('--max-pages must be a whole number from 1 to 500') });
  });

  it('refuses the metadata address, and staff cannot crawl (admin scope)', async () => {
    const r = await h.api(target.token, 'POST', '/api/v1/knowledge/website', { url: 'http://169.254.169.254/latest/meta-data/' });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: 'address_refused', fix: expect.stringContaining('public host name') });
    const bad = await h.api(target.token, 'POST', '/api/v1/knowledge/website', { url: 'ftp://example.com/', maxPages: 3 });
    expect(bad.status).toBe(400);
    expect(bad.json.fix).toBeTruthy();
    const noUrl = await h.api(target.token, 'POST', '/api/v1/knowledge/website', { maxPages: 3 });
    expect(noUrl.status).toBe(400);
    const read = await h.api(target.token, 'POST', '/api/v1/tokens', { name: 'staffish', kind: 'integration', scopes: ['read', 'propose', 'decide'] });
    const staff = await h.api(read.json.token, 'POST', '/api/v1/knowledge/website', { url: `${base}/` });
    expect(staff.status).toBe(403);
    expect((await h.api(read.json.token, 'GET', '/api/v1/onboarding')).status).toBe(403);
  });
});
