import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { extractText, getDocumentProxy } from 'unpdf';
import { sql } from 'kysely';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { startOpenAIStub, type OpenAIStub } from './support/openai-stub.js';
import { addLoginUser, httpLogin, sessionFetch, type HttpSession } from './support/dashboard-session.js';
import { runCli } from './support/cli-in-process.js';
import { ManualClock } from '../src/core/clock.js';
import { makeClientReport } from '../src/leverage/client-report/report-store.js';
import { reportCommand } from '../src/cli/report-command.js';

/**
 * Client reports through the running instance: ad exports imported per business (idempotent, a
 * bad file writes nothing), the week's figures from seeded leads, bookings, review requests and
 * ads, a hostile model summary whose invented numbers force a confirmation, the batch approval
 * across an agency's businesses (never another business: 404), the mail with the PDF in the real
 * SMTP sink, and `aios report`.
 */
const yaml = (slug: string, email: string) => `slug: ${slug}\nname: ${slug[0]!.toUpperCase()}${slug.slice(1)} Co\ntime_zone: America/Toronto\ncurrency: USD\nlocale: en-US\nphone: "+1416555${slug === 'acme' ? '0100' : slug === 'beta' ? '0200' : '0300'}"\nowner:\n  name: Owner\n  email: ${email}\n`;
const T = (slug: string, email: string) => ({ slug, phone: `+1416555${slug === 'acme' ? '0100' : slug === 'beta' ? '0200' : '0300'}`, policy: AUTO_POLICY, files: { 'tenant.yaml': yaml(slug, email) } });
const fx = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures/ads', name));
const WEEK = '2026-W48';

let h: Harness;
let smtp: SmtpSink;
let stub: OpenAIStub;
let agency: HttpSession;
const clock = new ManualClock('2026-12-02T14:10:00Z');
const tid = (slug: string) => h.aios.services.tenants.all().find((t) => t.slug === slug)!.id;
const upload = (s: HttpSession, business: string, bytes: Buffer, name = 'export.csv') =>
  fetch(`${h.aios.url}/api/v1/client-reports/ads?business=${business}&name=${name}`, { method: 'POST', headers: { cookie: s.cookie, 'x-aios-csrf': s.csrf, 'content-type': 'text/csv' }, body: new Uint8Array(bytes) })
    .then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
/** Mails of client reports (the instance also mails the owners' daily briefs at start). */
const reportMails = async () => (await Promise.all(smtp.received.map((b) => simpleParser(b)))).filter((m) => /your weekly report, week of/.test(m.subject ?? ''));
const pdfText = async (bytes: Uint8Array) => (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;

beforeAll(async () => {
  smtp = await startSmtpSink();
  stub = await startOpenAIStub();
  h = await startHarness([T('acme', 'ann@acme.example'), T('beta', 'bob@beta.example'), T('gamma', 'gil@gamma.example')], {
    clock, config: { AIOS_SMTP_URL: smtp.url, AIOS_SMTP_FROM: '"Agency" <reports@agency.example>' }, env: { AIOS_LLM: `openai:gpt-4.1-mini@${stub.url}`, OPENAI_API_KEY: 'sk-test' },
  });
  const db = h.aios.services.db;
  await addLoginUser(h, { name: 'Ada Agency', email: 'ada@agency.example', password: 'correct horse battery', role: 'implementer', slugs: ['acme', 'beta'] });
  await addLoginUser(h, { name: 'Sam Staff', email: 'sam@acme.example', password: 'correct horse battery', role: 'staff', slugs: ['acme'] });
  agency = await httpLogin(h.aios.url, 'ada@agency.example', 'correct horse battery', 'acme');
  // Acme's week of Nov 23 (Toronto): 3 leads (2 web, 1 sms), 1 booking, 1 review request; a lead of the next week.
  const a = tid('acme');
  await sql`insert into contacts (id, tenant_id, phone, source, created_at) values
    ('cr_c1', ${a}, '+14165550901', 'web', '2026-11-24T15:00:00Z'), ('cr_c2', ${a}, '+14165550902', 'web', '2026-11-25T15:00:00Z'),
    ('cr_c3', ${a}, '+14165550903', 'sms', '2026-11-27T15:00:00Z'), ('cr_c4', ${a}, '+14165550904', 'web', '2026-11-30T15:00:00Z')`.execute(db);
  await sql`insert into bookings (id, tenant_id, contact_id, channel, address, starts_at, ends_at, blocked, status, key, created_at) values
    ('cr_b1', ${a}, 'cr_c1', 'sms', '+14165550901', '2026-11-26T15:00:00Z', '2026-11-26T16:00:00Z', tstzrange('2026-11-26T15:00:00Z', '2026-11-26T16:00:00Z'), 'confirmed', 'cr_b1', '2026-11-25T16:00:00Z'),
    ('cr_b2', ${a}, 'cr_c2', 'sms', '+14165550902', '2026-11-27T15:00:00Z', '2026-11-27T16:00:00Z', tstzrange('2026-11-27T15:00:00Z', '2026-11-27T16:00:00Z'), 'released', 'cr_b2', '2026-11-25T17:00:00Z')`.execute(db);
  await sql`insert into ledger (id, tenant_id, run_id, category, minutes_saved, created_at) values
    ('cr_l1', ${a}, 'cr_r1', 'review_request', 3, '2026-11-26T20:00:00Z'), ('cr_l2', ${a}, 'cr_r2', 'lead_response', 10, '2026-11-24T15:01:00Z')`.execute(db);
});
afterAll(async () => {
  await h?.stop();
  await smtp?.close();
  await stub?.close();
});

describe('client reports', () => {
  it('imports Google Ads and Meta Ads exports; importing again replaces, a bad file writes nothing, another business is a 404', async () => {
    const g = await upload(agency, 'acme', fx('google-ads-campaigns.csv'), 'google.csv');
    expect(g).toMatchObject({ status: 200, json: { business: 'acme', platform: 'google_ads', rows: 4, inserted: 4, replaced: 0, totalsSkipped: 2, starts: '2026-11-23', ends: '2026-11-30', campaigns: 2 } });
    expect((await upload(agency, 'acme', fx('meta-ads-campaigns.csv'))).json).toMatchObject({ platform: 'meta_ads', rows: 2, inserted: 2, totalsSkipped: 1 });
    expect((await upload(agency, 'acme', fx('google-ads-campaigns.csv'))).json).toMatchObject({ rows: 4, inserted: 0, replaced: 4 });
    const count = async () => (await h.aios.services.db.selectFrom('ad_metrics').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
    expect(await count()).toBe(6);
    const bad = await upload(agency, 'acme', fx('google-ads-bad.csv'));
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('line 5, column "Clicks"');
    expect(bad.json.fix).toMatch(/import the whole file again/);
    expect(await count()).toBe(6);
    expect((await upload(agency, 'gamma', fx('meta-ads-campaigns.csv'))).status).toBe(404);
  });

  it('a hostile model invents "40 hours" and "12×": both are flagged; the figures come from the data', async () => {
    stub.enqueue({ content: JSON.stringify({ summary: 'Acme Co saved 40 hours in the week of Nov 23 with an ROI of 12×, from 3 leads and $1,354.00 of ads.' }) });
    const made = await sessionFetch(h.aios.url, agency, 'POST', '/api/v1/client-reports/make', { week: WEEK, businesses: ['acme'] });
    expect(made.status).toBe(200);
    const r = made.json.reports[0];
    expect(r).toMatchObject({ week: WEEK, weekStart: '2026-11-23', weekEnd: '2026-11-29', status: 'pending', summarySource: 'model', adData: true });
    expect(r.unchecked.map((u: any) => [u.text, u.unit])).toEqual([['40 hours', 'hours'], ['12×', 'ratio']]);
    const f = Object.fromEntries(r.figures.map((x: any) => [x.key, x.text]));
    expect(f).toMatchObject({ leads: '3', 'leads.web': '2', 'leads.sms': '1', bookings: '1', reviewsRequested: '1', reviewsReceived: 'not recorded', adSpend: '$1,354.00', adClicks: '186', adConversions: '12', costPerLead: '$112.83', campaigns: '4' });
    expect(r.sections.find((x: any) => x.id === 'ads').lines).toContain('Google Ads - Drains, Toronto: $1,108.60, 97 clicks, 6 conversions');
    // Made once: asking again returns the same report.
    const again = await sessionFetch(h.aios.url, agency, 'POST', '/api/v1/client-reports/make', { week: WEEK, businesses: ['acme'] });
    expect(again.json.made).toEqual([]);
    expect(again.json.reports[0].id).toBe(r.id);
  });

  it('offline (the model answers nonsense): the template summary, every number checked; no ad data says so', async () => {
    const made = await sessionFetch(h.aios.url, agency, 'POST', '/api/v1/client-reports/make', { week: WEEK });
    const beta = made.json.reports.find((x: any) => x.business.slug === 'beta');
    expect(beta).toMatchObject({ summarySource: 'template', unchecked: [], adData: false });
    expect(beta.summary).toBe('In the week of Nov 23, Beta Co had 0 leads and 0 bookings; AIOS sent 0 review requests. AIOS saved 0 h and recovered $0.00; ROI 0×. No ad data imported for this week.');
    expect(beta.sections.find((x: any) => x.id === 'ads').lines[0]).toMatch(/^No ad data imported for this week/);
    expect(made.json.reports.map((x: any) => x.business.slug).sort()).toEqual(['acme', 'beta']);
  });

  it('the list spans the agency\'s businesses only; another business\'s report is a 404 everywhere; a token sees its own business; staff see none', async () => {
    const gamma = await makeClientReport(h.aios.services.db, null, h.aios.services.tenants.get(tid('gamma')), WEEK, 'system', clock.now());
    const list = await sessionFetch(h.aios.url, agency, 'GET', `/api/v1/client-reports?week=${WEEK}`);
    expect(list.json.reports.map((x: any) => x.business.slug).sort()).toEqual(['acme', 'beta']);
    expect(JSON.stringify(list.json)).not.toContain('gamma');
    expect((await sessionFetch(h.aios.url, agency, 'GET', `/api/v1/client-reports/${gamma.row.id}`)).status).toBe(404);
    expect((await sessionFetch(h.aios.url, agency, 'GET', `/api/v1/client-reports/${gamma.row.id}/report.pdf`)).status).toBe(404);
    const acmeId = list.json.reports.find((x: any) => x.business.slug === 'acme').id;
    const mixed = await sessionFetch(h.aios.url, agency, 'POST', '/api/v1/client-reports/approve', { ids: [acmeId, gamma.row.id], confirm: [acmeId, gamma.row.id] });
    expect(mixed.status).toBe(404);
    expect((await h.aios.services.db.selectFrom('client_reports').select('status').where('id', '=', acmeId).executeTakeFirstOrThrow()).status).toBe('pending');
    const byToken = await h.api(h.aios.cliTokens.get('beta')!, 'GET', `/api/v1/client-reports?week=${WEEK}`);
    expect(byToken.json.reports.map((x: any) => x.business.slug)).toEqual(['beta']);
    const staff = await httpLogin(h.aios.url, 'sam@acme.example', 'correct horse battery');
    expect((await sessionFetch(h.aios.url, staff, 'GET', `/api/v1/client-reports?week=${WEEK}`)).json.reports).toEqual([]);
    expect((await sessionFetch(h.aios.url, agency, 'GET', '/api/v1/client-reports?week=2026-48')).status).toBe(400);
  });

  it('batch approval: an integration cannot approve; unchecked numbers need a confirmation; the owner gets the mail with the PDF', async () => {
    const list = (await sessionFetch(h.aios.url, agency, 'GET', `/api/v1/client-reports?week=${WEEK}`)).json.reports;
    const acme = list.find((x: any) => x.business.slug === 'acme');
    const beta = list.find((x: any) => x.business.slug === 'beta');
    const bot = (await h.api(h.aios.cliTokens.get('acme')!, 'POST', '/api/v1/tokens', { name: 'bot', kind: 'integration', scopes: ['read', 'propose'] })).json.token as string;
    const refused = await h.api(bot, 'POST', '/api/v1/client-reports/approve', { ids: [acme.id], confirm: [acme.id] });
    expect(refused.json.results[0]).toMatchObject({ ok: false, status: 'forbidden' });

    const first = await sessionFetch(h.aios.url, agency, 'POST', '/api/v1/client-reports/approve', { ids: [acme.id, beta.id] });
    expect(first.json.results.map((r: any) => [r.id, r.status])).toEqual([[acme.id, 'needs_confirmation'], [beta.id, 'sent']]);
    expect(first.json.results[0].message).toContain('"40 hours", "12×"');
    const afterFirst = await reportMails();
    expect(afterFirst.map((m) => (m.to as any).text)).toEqual(['bob@beta.example']);

    const second = await sessionFetch(h.aios.url, agency, 'POST', '/api/v1/client-reports/approve', { ids: [acme.id], confirm: [acme.id] });
    expect(second.json.results[0]).toMatchObject({ ok: true, status: 'sent' });
    const mails = await reportMails();
    expect(mails).toHaveLength(2);
    const m = mails[1]!;
    expect(m.to).toMatchObject({ text: 'ann@acme.example' });
    expect(m.subject).toBe('Acme Co: your weekly report, week of Nov 23');
    expect(m.text).toContain('Ad spend: $1,354.00');
    expect(m.attachments.map((x) => [x.filename, x.contentType])).toEqual([['report-acme-2026-W48.pdf', 'application/pdf']]);
    const text = await pdfText(new Uint8Array(m.attachments[0]!.content));
    for (const s of ['Acme Co: weekly report, Nov 23 to Nov 29', '$1,354.00', '$112.83', 'Drains, Toronto', 'Leads from web', 'saved 40 hours', 'Cost per lead $112.83']) expect(text).toContain(s);
    expect(m.attachments[0]!.content.toString('latin1')).toMatch(/\/Subtype \/Image/); // the leads chart

    const view = (await sessionFetch(h.aios.url, agency, 'GET', `/api/v1/client-reports/${acme.id}`)).json;
    expect(view).toMatchObject({ status: 'sent', emailTo: 'ann@acme.example', approvedBy: expect.stringMatching(/^user:/) });
    const twice = await sessionFetch(h.aios.url, agency, 'POST', '/api/v1/client-reports/approve', { ids: [acme.id] });
    expect(twice.json.results[0]).toMatchObject({ ok: false, status: 'conflict' });
    expect(await reportMails()).toHaveLength(2);
  });

  it('aios report import-ads and aios report week print the report, its unchecked numbers and what was sent', async () => {
    const target = (slug: string) => ({ url: h.aios.url, token: h.aios.cliTokens.get(slug)!, slug, home: h.home });
    const reg = (p: any) => reportCommand(p, () => target('beta'), target, () => ['acme', 'beta']);
    const imported = await runCli(reg, 'report', 'import-ads', join(import.meta.dirname, 'fixtures/ads/meta-ads-campaigns.csv'));
    expect(imported).toBe('Meta Ads for beta: 2 rows (2 campaigns, 2026-11-23 to 2026-11-29) — 2 new, 0 replaced, 1 totals rows left out\n');
    const out = await runCli(reg, 'report', 'week', '--week', WEEK, '--all');
    expect(out).toContain(`Acme Co (acme), ${WEEK}: sent`);
    expect(out).toContain('UNCHECKED numbers (not in the figures; approving needs a confirmation in the dashboard): 40 hours, 12×');
    expect(out).toContain(`Beta Co (beta), ${WEEK}: sent`);
    const next = await runCli(reg, 'report', 'week', '--week', '2026-W49', '--send');
    expect(next).toContain('Beta Co (beta), 2026-W49: sent');
    expect(next).toContain('  → sent to bob@beta.example');
    expect((await reportMails()).map((x) => x.subject)).toEqual(['Beta Co: your weekly report, week of Nov 23', 'Acme Co: your weekly report, week of Nov 23', 'Beta Co: your weekly report, week of Nov 30']);
  });
});
