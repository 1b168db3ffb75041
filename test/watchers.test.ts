import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { sql } from 'kysely';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { ManualClock } from '../src/core/clock.js';
import { inboundEmail, sentEmail, deal, invoice, payInvoice, meeting } from './support/back-office-rows.js';
import type { TenantInfo } from '../src/records/tenants.js';

/**
 * The back-office watchers over a real AIOS (embedded PostgreSQL) with a ManualClock: each raises
 * its signal once (dedup), resolves it when the condition clears, and snooze / dismiss work over
 * the API and the CLI. The clock only moves forward through this file (the tests run in order).
 */
const ROOT = join(import.meta.dirname, '..');
const H = 3_600_000;
const D = 24 * H;
const SLUG = 'shop';
// Monday 2026-12-07 09:00 in Toronto.
const clock = new ManualClock('2026-12-07T14:00:00Z');
const TENANT_YAML = `slug: ${SLUG}
name: Shop Co
time_zone: America/Toronto
phone: "+14165550170"
owner:
  name: Owner
profile:
  tone: friendly
  website: https://shop.example
  hours: { mon: ["08:00", "17:00"], tue: ["08:00", "17:00"], wed: ["08:00", "17:00"], thu: ["08:00", "17:00"], fri: ["08:00", "17:00"], sat: closed, sun: closed }
holidays:
  - 2026-12-09
  - public: CA-ON
watchers:
  own_addresses: [office@partner.example]
# The watchers alone: the playbooks their signals start are tested in their own files, and a
# started run would turn a signal from open to handling under these assertions.
playbooks:
  invoice-chase: { enabled: false }
  invoice-chase-overdue: { enabled: false }
  stalled-deal-nudge: { enabled: false }
  meeting-follow-up: { enabled: false }
`;
let h: Harness;
let tenant: TenantInfo;
let token: string;

beforeAll(async () => {
  h = await startHarness([{ slug: SLUG, phone: '+14165550170', policy: AUTO_POLICY, files: { 'tenant.yaml': TENANT_YAML, 'knowledge/prices.md': '---\nvalid_until: 2026-12-17\n---\n# Prices\n\nDrain cleaning: $180\n', 'knowledge/hours.md': '---\nvalid_until: 2027-02-01\n---\n# Hours\n\nWe open at 8.\n' } }], { clock });
  await h.aios.watch.firstPass;
  tenant = h.aios.tenants.bySlugOrThrow(SLUG);
  token = h.aios.cliTokens.get(SLUG)!;
}, 60_000);
afterAll(() => h?.stop());

const at = (iso: string) => new Date(iso);
async function pass(to?: string) {
  if (to) clock.set(to);
  return h.aios.watch.runNow();
}
async function signalsOf(kind: string, subject?: string) {
  let q = h.aios.db.selectFrom('signals').selectAll().where('tenant_id', '=', tenant.id).where('kind', '=', kind);
  if (subject) q = q.where('subject', '=', subject);
  return q.orderBy('created_at').execute();
}

describe('email_unanswered', () => {
  it('fires after 4 business hours, once per wait; a reply resolves it; email is not customer_unanswered too', async () => {
    const a = 'ann@cust.example';
    await inboundEmail(h.aios.db, tenant.id, a, 'Can you quote a new water heater?', at('2026-12-07T14:00:00Z')); // Mon 09:00
    await pass('2026-12-07T17:59:00Z'); // 12:59: 3.98 business hours
    expect(await signalsOf('email_unanswered', a)).toHaveLength(0);
    await pass('2026-12-07T18:00:00Z'); // 13:00: 4 h
    const [s] = await signalsOf('email_unanswered', a);
    expect(s?.data).toMatchObject({ address: a, since: '2026-12-07T14:00:00.000Z', businessHours: 4 });
    expect(s?.dedup_key).toMatch(/^email_unanswered:cv_[^:]+:msg_/);
    // A second mail in the same wait raises nothing new; nor does another pass.
    await inboundEmail(h.aios.db, tenant.id, a, 'Hello? Any news?', at('2026-12-07T19:00:00Z'));
    await pass('2026-12-07T21:00:00Z');
    expect(await signalsOf('email_unanswered', a)).toHaveLength(1);
    // The SMS watcher leaves email conversations alone: one mail, one signal.
    expect(await signalsOf('customer_unanswered', a)).toHaveLength(0);
    await sentEmail(h.aios.db, tenant.id, a, at('2026-12-07T21:30:00Z'));
    await pass('2026-12-07T21:31:00Z');
    expect((await signalsOf('email_unanswered', a))[0]).toMatchObject({ status: 'resolved' });
    const audit = await h.aios.db.selectFrom('audit_log').selectAll().where('subject', '=', s!.id).where('action', '=', 'signal.resolved').execute();
    expect(audit).toHaveLength(1);
  });

  it('skips holidays in the count (Wed 2026-12-09 is closed), and mail from the business\'s own addresses and from robots', async () => {
    const b = 'bob@cust.example';
    await inboundEmail(h.aios.db, tenant.id, b, 'Is my part in?', at('2026-12-08T21:00:00Z')); // Tue 16:00: 1 h Tuesday
    await inboundEmail(h.aios.db, tenant.id, 'office@partner.example', 'Invoice attached', at('2026-12-08T14:00:00Z'));
    await inboundEmail(h.aios.db, tenant.id, 'sales@shop.example', 'Internal note', at('2026-12-08T14:00:00Z'));
    await inboundEmail(h.aios.db, tenant.id, 'no-reply@supplier.example', 'Your order shipped', at('2026-12-08T14:00:00Z'));
    await pass('2026-12-10T15:59:00Z'); // Thu 10:59: Tue 1 h + Wed holiday 0 + Thu 2.98 h
    expect(await signalsOf('email_unanswered', b)).toHaveLength(0);
    await pass('2026-12-10T16:00:00Z'); // Thu 11:00: 4 h
    expect((await signalsOf('email_unanswered', b))[0]?.data).toMatchObject({ businessHours: 4 });
    expect(await signalsOf('email_unanswered', 'office@partner.example')).toHaveLength(0);
    expect(await signalsOf('email_unanswered', 'sales@shop.example')).toHaveLength(0);
    expect(await signalsOf('email_unanswered', 'no-reply@supplier.example')).toHaveLength(0);
  });
});

describe('deal_stalled', () => {
  it('fires after 7 quiet days in a stage, once; a message of the contact resolves it; the next quiet spell fires again', async () => {
    const now = clock.now();
    const { dealId, contactId } = await deal(h.aios.db, tenant.id, 'dee@cust.example', 'quoted', new Date(now.getTime() - 6 * D));
    await deal(h.aios.db, tenant.id, 'won@cust.example', 'won', new Date(now.getTime() - 30 * D));
    await pass();
    expect(await signalsOf('deal_stalled', dealId)).toHaveLength(0);
    await pass(new Date(now.getTime() + D + H).toISOString());
    const [s] = await signalsOf('deal_stalled', dealId);
    expect(s?.data).toMatchObject({ dealId, contactId, stage: 'quoted', days: 7, lastActivityAt: new Date(now.getTime() - 6 * D).toISOString() });
    await pass(new Date(now.getTime() + 2 * D).toISOString());
    expect(await signalsOf('deal_stalled', dealId)).toHaveLength(1);
    expect((await h.aios.db.selectFrom('signals').select('id').where('kind', '=', 'deal_stalled').where('tenant_id', '=', tenant.id).execute()).length).toBe(1); // the won deal never stalls
    await inboundEmail(h.aios.db, tenant.id, 'dee@cust.example', 'Still thinking about it', clock.now());
    await pass();
    expect((await signalsOf('deal_stalled', dealId))[0]).toMatchObject({ status: 'resolved' });
    await pass(new Date(clock.now().getTime() + 7 * D + H).toISOString());
    const again = await signalsOf('deal_stalled', dealId);
    expect(again.map((x) => x.status)).toEqual(['resolved', 'open']);
  });
});

describe('invoice_due_soon / invoice_overdue', () => {
  it('due within 3 days → due soon; past due → overdue only; no due date, nothing owed, far off, void → nothing; paid resolves', async () => {
    const now = clock.now();
    const soon = await invoice(h.aios.db, tenant.id, { dueAt: new Date(now.getTime() + 2 * D) });
    const late = await invoice(h.aios.db, tenant.id, { dueAt: new Date(now.getTime() - 5 * D), status: 'overdue', amountCents: 80_000, paidCents: 30_000 });
    const far = await invoice(h.aios.db, tenant.id, { dueAt: new Date(now.getTime() + 10 * D) });
    const undated = await invoice(h.aios.db, tenant.id, { dueAt: null });
    const settled = await invoice(h.aios.db, tenant.id, { dueAt: new Date(now.getTime() - D), amountCents: 100, paidCents: 100 });
    const voided = await invoice(h.aios.db, tenant.id, { dueAt: new Date(now.getTime() - D), status: 'void' });
    await pass();
    expect((await signalsOf('invoice_due_soon', soon))[0]?.data).toMatchObject({ invoiceId: soon, balanceCents: 50_000, currency: 'CAD', customerEmail: 'payer@cust.example' });
    expect(await signalsOf('invoice_overdue', soon)).toHaveLength(0);
    expect((await signalsOf('invoice_overdue', late))[0]).toMatchObject({ severity: 'high', data: expect.objectContaining({ balanceCents: 50_000 }) });
    expect(await signalsOf('invoice_due_soon', late)).toHaveLength(0);
    for (const id of [far, undated, settled, voided]) {
      expect(await signalsOf('invoice_due_soon', id)).toHaveLength(0);
      expect(await signalsOf('invoice_overdue', id)).toHaveLength(0);
    }
    // Due today is still due, not overdue: the next local day it is overdue (once).
    await pass(new Date(now.getTime() + 2 * D).toISOString());
    expect(await signalsOf('invoice_overdue', soon)).toHaveLength(0);
    await pass(new Date(now.getTime() + 3 * D).toISOString());
    await pass(new Date(now.getTime() + 4 * D).toISOString());
    expect(await signalsOf('invoice_overdue', soon)).toHaveLength(1);
    await payInvoice(h.aios.db, soon);
    await pass();
    expect((await signalsOf('invoice_due_soon', soon))[0]?.status).toBe('resolved');
    expect((await signalsOf('invoice_overdue', soon))[0]?.status).toBe('resolved');
    expect((await signalsOf('invoice_overdue', late))[0]?.status).toBe('open');
  });
});

describe('meeting_ended / meeting_no_follow_up', () => {
  it('a meeting with a customer fires ended once; 24 h without an email to an attendee fires no-follow-up; a follow-up resolves', async () => {
    const now = clock.now();
    const withCustomer = await meeting(h.aios.db, tenant.id, new Date(now.getTime() + H), new Date(now.getTime() + 2 * H), [{ email: 'Office@Partner.example' }, { email: 'Cal@Cust.example', name: 'Cal' }, { email: 'owner@shop.example' }]);
    const followedUp = await meeting(h.aios.db, tenant.id, new Date(now.getTime() + H), new Date(now.getTime() + 2 * H), [{ email: 'fay@cust.example' }]);
    const nobody = await meeting(h.aios.db, tenant.id, new Date(now.getTime() + H), new Date(now.getTime() + 2 * H), []);
    const ownOnly = await meeting(h.aios.db, tenant.id, new Date(now.getTime() + H), new Date(now.getTime() + 2 * H), [{ email: 'sam@shop.example' }]);
    await pass(new Date(now.getTime() + 90 * 60_000).toISOString());
    expect(await signalsOf('meeting_ended', withCustomer)).toHaveLength(0); // not over yet
    await pass(new Date(now.getTime() + 3 * H).toISOString());
    const [ended] = await signalsOf('meeting_ended', withCustomer);
    expect(ended?.data).toMatchObject({ calendarEventId: withCustomer, summary: 'Site visit', attendees: [{ email: 'cal@cust.example', name: 'Cal' }], notes: 'Notes: quote the boiler', endedAt: new Date(now.getTime() + 2 * H).toISOString() });
    expect(ended?.dedup_key).toBe(`meeting_ended:${withCustomer}:${new Date(now.getTime() + 2 * H).toISOString()}`);
    expect(await signalsOf('meeting_ended', followedUp)).toHaveLength(1);
    expect(await signalsOf('meeting_ended', nobody)).toHaveLength(0);
    expect(await signalsOf('meeting_ended', ownOnly)).toHaveLength(0);
    await sentEmail(h.aios.db, tenant.id, 'fay@cust.example', new Date(now.getTime() + 5 * H));
    await pass(new Date(now.getTime() + 6 * H).toISOString());
    expect((await signalsOf('meeting_ended', followedUp))[0]?.status).toBe('resolved');
    expect(await signalsOf('meeting_ended', withCustomer)).toHaveLength(1);
    await pass(new Date(now.getTime() + 25 * H).toISOString());
    expect(await signalsOf('meeting_no_follow_up', withCustomer)).toHaveLength(0); // 23 h after the end
    await pass(new Date(now.getTime() + 26 * H).toISOString());
    expect(await signalsOf('meeting_no_follow_up', withCustomer)).toHaveLength(1);
    expect(await signalsOf('meeting_no_follow_up', followedUp)).toHaveLength(0);
    await pass(new Date(now.getTime() + 30 * H).toISOString());
    expect(await signalsOf('meeting_no_follow_up', withCustomer)).toHaveLength(1);
    await sentEmail(h.aios.db, tenant.id, 'cal@cust.example', clock.now());
    await pass();
    expect((await signalsOf('meeting_no_follow_up', withCustomer))[0]?.status).toBe('resolved');
    expect((await signalsOf('meeting_ended', withCustomer))[0]?.status).toBe('resolved');
  });
});

describe('knowledge_expiring', () => {
  it('a file valid until within 14 days fires once at start; a later date in the file resolves it', async () => {
    const [s] = await signalsOf('knowledge_expiring');
    expect(s).toMatchObject({ subject: expect.stringContaining('prices.md'), data: { validUntil: '2026-12-17', daysLeft: 10 } });
    expect((await signalsOf('knowledge_expiring')).filter((x) => x.subject.includes('hours.md'))).toHaveLength(0);
    await pass();
    expect(await signalsOf('knowledge_expiring')).toHaveLength(1);
    await sql`update knowledge_documents set valid_until = '2027-06-30' where tenant_id = ${tenant.id} and path = ${s!.subject}`.execute(h.aios.db);
    await sql`update knowledge_facts set valid_until = '2027-06-30' where tenant_id = ${tenant.id} and file = ${s!.subject}`.execute(h.aios.db);
    await pass();
    expect((await signalsOf('knowledge_expiring'))[0]?.status).toBe('resolved');
  });
});

describe('snooze and dismiss', () => {
  it('API: snooze for 2d hides it and it wakes to open when due; dismiss keeps it dismissed; bad input says what to do', async () => {
    const id = await invoice(h.aios.db, tenant.id, { dueAt: new Date(clock.now().getTime() - 2 * D) });
    await pass();
    const [s] = await signalsOf('invoice_overdue', id);
    const snoozed = await h.api(token, 'POST', `/api/v1/signals/${s!.id}/snooze`, { for: '2d' });
    expect(snoozed.status).toBe(200);
    expect(snoozed.json.signal).toMatchObject({ status: 'snoozed', snoozed_until: new Date(clock.now().getTime() + 2 * D).toISOString() });
    const listed = await h.api(token, 'GET', '/api/v1/signals?status=snoozed&kind=invoice_overdue');
    expect(listed.json.signals.map((x: { id: string }) => x.id)).toContain(s!.id);
    expect((await h.api(token, 'GET', '/api/v1/signals?status=open&kind=invoice_overdue')).json.signals.map((x: { id: string }) => x.id)).not.toContain(s!.id);
    await pass(new Date(clock.now().getTime() + D).toISOString());
    expect((await signalsOf('invoice_overdue', id))[0]?.status).toBe('snoozed');
    await pass(new Date(clock.now().getTime() + D + 60_000).toISOString());
    expect((await signalsOf('invoice_overdue', id))[0]).toMatchObject({ status: 'open', snoozed_until: null });

    const bad = await h.api(token, 'POST', `/api/v1/signals/${s!.id}/snooze`, { for: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.json.fix).toMatch(/30m, 4h, 2d or 1w/);
    expect((await h.api(token, 'POST', `/api/v1/signals/${s!.id}/snooze`, { until: '2020-01-01T00:00:00Z' })).status).toBe(400);
    expect((await h.api(token, 'POST', '/api/v1/signals/sig_nope/dismiss', {})).status).toBe(404);
    expect((await h.api(token, 'GET', '/api/v1/signals?status=sleeping')).json.fix).toMatch(/status=open/);

    const dismissed = await h.api(token, 'POST', `/api/v1/signals/${s!.id}/dismiss`, { reason: 'paid in cash' });
    expect(dismissed.json.signal).toMatchObject({ status: 'dismissed', dismiss_reason: 'paid in cash' });
    const audit = await h.aios.db.selectFrom('audit_log').selectAll().where('subject', '=', s!.id).where('action', '=', 'signal.dismissed').executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ reason: 'paid in cash', kind: 'invoice_overdue' });
    // Still unpaid: the watcher neither re-raises the occurrence nor touches the dismissal; paying does not resolve it either.
    await pass();
    await payInvoice(h.aios.db, id);
    await pass();
    const after = await signalsOf('invoice_overdue', id);
    expect(after).toHaveLength(1);
    expect(after[0]?.status).toBe('dismissed');
    expect((await h.api(token, 'POST', `/api/v1/signals/${s!.id}/snooze`, { for: '1d' })).status).toBe(409);
  });

  it('CLI: aios signals --kind --status, snooze ID 2d, dismiss ID --reason; a bad length fails with the fix', async () => {
    const id = await invoice(h.aios.db, tenant.id, { dueAt: new Date(clock.now().getTime() - 3 * D) });
    await pass();
    const [s] = await signalsOf('invoice_overdue', id);
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, [join(ROOT, 'bin/aios.mjs'), '--tenant', SLUG, ...args], { cwd: ROOT, env: { ...process.env, AIOS_HOME: h.home, VITEST: '' } });
    const listed = JSON.parse((await cli('signals', '--kind', 'invoice_overdue', '--status', 'open', '--json')).stdout) as Array<{ id: string; kind: string; status: string }>;
    expect(listed.map((x) => x.id)).toContain(s!.id);
    expect(new Set(listed.map((x) => `${x.kind}/${x.status}`))).toEqual(new Set(['invoice_overdue/open']));
    expect((await cli('signals', 'snooze', s!.id, '2d')).stdout).toContain(`snoozed ${s!.id} until ${new Date(clock.now().getTime() + 2 * D).toISOString()}`);
    const err = await cli('signals', 'snooze', s!.id, 'tomorrowish').then(() => null, (e: { stderr: string; code: number }) => e);
    expect(err?.code).toBe(1);
    expect(err?.stderr).toMatch(/not a time|snooze/);
    expect((await cli('signals', 'dismiss', s!.id, '--reason', 'disputed, handled by phone')).stdout).toContain(`dismissed ${s!.id}`);
    expect((await h.aios.db.selectFrom('signals').select(['status', 'dismiss_reason']).where('id', '=', s!.id).executeTakeFirstOrThrow())).toEqual({ status: 'dismissed', dismiss_reason: 'disputed, handled by phone' });
  }, 120_000); // four CLI processes (tsx start-up each) on a busy machine
});
