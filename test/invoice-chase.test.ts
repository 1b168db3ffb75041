import { runCli } from './support/cli-in-process.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { invoiceCommands } from '../src/cli/invoice-commands.js';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { startHarness, eventually, type Harness } from './support/harness.js';
import { ManualClock } from '../src/core/clock.js';
import { newId } from '../src/core/ids.js';
import { syncKnowledge } from '../src/knowledge/sync.js';
import { stripeSignature } from '../src/connection/stripe/signature.js';
import { INVOICE_DUE_SOON, INVOICE_OVERDUE, INVOICE_CALL_OWNER, type InvoiceSignalData } from '../src/awareness/back-office-signals.js';
import '../src/autonomy/invoices/tables.js';
import '../src/connection/framework/tables.js';

/**
 * The invoice chase end to end: real AIOS on embedded PostgreSQL, a real SMTP sink, the Twilio
 * sink, signed Stripe webhooks, the CSV import, the API, and a ManualClock moved over 40 days
 * (runs wake every 200 ms and re-read it).
 */
const PHONE = '+14165550600';
const OWNER = '+14165550699';
const POLICY = `version: 1
default: approve
actions:
  sms.send: auto
  email.send: auto
first_contact: auto
max_per_recipient_per_day: 5
over_limit: never
`;
const TENANT = `slug: maple
name: Maple Plumbing
time_zone: America/Toronto
locale: en-CA
currency: CAD
phone: "${PHONE}"
owner:
  name: Dana Smith
  phone: "${OWNER}"
profile:
  tone: friendly
  website: https://maple.example
playbooks:
  invoice-chase:
    days_before: 1
    send_hour: 9
    payment_instructions: Interac e-Transfer to pay@maple.example
`;
const VOICE = `---
kind: voice
title: How we write to customers
---

# How we write to customers

## Tone

Warm, plain and practical. Short sentences.

## Sign-off

Every message ends with: "— Dana & the Maple team"

## Banned phrases

Never write: "No worries", "ASAP".
`;
const WHSEC = 'whsec_invoice_chase_test';
const clock = new ManualClock('2026-12-01T14:00:00Z');
const mails: Array<{ at: string; mail: ParsedMail }> = [];
let smtp: SMTPServer;
let h: Harness;
let token: string;
let tenantId: string;
let stripeConn: string;
let seq = 0;

const DUE = '2026-12-10T17:00:00Z'; // Thursday Dec 10, local noon
const unix = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

async function stripeWebhook(type: string, object: Record<string, unknown>): Promise<void> {
  const ts = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ id: `evt_${++seq}_${Date.now()}`, object: 'event', type, created: ts + seq, data: { object } });
  const res = await fetch(`${h.aios.url}/hooks/stripe/${stripeConn}`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'stripe-signature': `t=${ts},v1=${stripeSignature(WHSEC, ts, body)}` } });
  expect(res.status).toBe(200);
}
function stripeInvoice(ref: string, status: 'open' | 'paid', email: string, name: string): Record<string, unknown> {
  return {
    id: ref, object: 'invoice', number: `INV-${ref.slice(3).toUpperCase()}`, status, currency: 'cad', total: 125000, amount_due: 125000, amount_paid: status === 'paid' ? 125000 : 0,
    due_date: unix(DUE), created: unix('2026-11-25T15:00:00Z'), customer_email: email, customer_name: name, hosted_invoice_url: `https://invoice.stripe.com/i/acct_1/${ref}`,
    status_transitions: { finalized_at: unix('2026-11-25T15:00:00Z'), paid_at: status === 'paid' ? unix(clock.now().toISOString()) : null },
  };
}
async function insertInvoice(v: { number: string; email?: string | null; contactId?: string | null; dueAt?: string | null; amount?: number; paid?: number; currency?: string; name?: string }): Promise<string> {
  const id = newId('inv');
  await h.aios.db.insertInto('invoices').values({
    id, tenant_id: tenantId, contact_id: v.contactId ?? null, number: v.number, external_ref: v.number, source: 'builtin', status: 'open', currency: v.currency ?? 'CAD',
    amount_cents: v.amount ?? 48000, amount_paid_cents: v.paid ?? 0, due_at: v.dueAt === undefined ? DUE : v.dueAt, issued_at: '2026-11-25T15:00:00Z', customer_email: v.email ?? null, customer_name: v.name ?? 'Ben Roy',
  }).execute();
  return id;
}
async function raise(kind: string, invoiceId: string): Promise<string[]> {
  const inv = await h.aios.db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirstOrThrow();
  const data: InvoiceSignalData = {
    invoiceId, number: inv.number, dueAt: inv.due_at ? new Date(inv.due_at).toISOString() : '', balanceCents: Number(inv.amount_cents) - Number(inv.amount_paid_cents), currency: inv.currency,
    customerEmail: inv.customer_email, customerName: inv.customer_name, contactId: inv.contact_id,
  };
  const signal = await h.aios.db.insertInto('signals').values({ id: newId('sig'), tenant_id: tenantId, kind, subject: invoiceId, dedup_key: `${kind}:${invoiceId}`, data: JSON.stringify(data) }).returningAll().executeTakeFirstOrThrow();
  return h.aios.host.dispatchSignal(signal);
}
const mailsTo = (to: string) => mails.filter((m) => (m.mail.to && 'text' in m.mail.to ? m.mail.to.text : '') === to);
const smsTo = (to: string) => h.sink.messages.filter((m) => m.to === to);
const run = (id: string) => h.aios.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const waitingRun = (id: string) => eventually(async () => (await run(id)).status === 'waiting', 30_000, `run ${id} waiting`);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function invoiceByRef(ref: string): Promise<string> {
  return eventually(async () => (await h.aios.db.selectFrom('invoices').select('id').where('external_ref', '=', ref).executeTakeFirst())?.id, 30_000, `invoice ${ref}`);
}

const ids: Record<string, string> = {};
const runs: Record<string, string> = {};

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('end', () => {
        const at = clock.now().toISOString();
        void simpleParser(Buffer.concat(chunks)).then((mail) => mails.push({ at, mail }));
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as { port: number }).port;
  h = await startHarness([{ slug: 'maple', phone: PHONE, policy: POLICY, files: { 'tenant.yaml': TENANT, 'knowledge/voice.md': VOICE } }], {
    clock,
    config: { AIOS_SMTP_URL: `smtp://127.0.0.1:${port}`, AIOS_SMTP_FROM: '"Maple Plumbing" <billing@maple.example>', AIOS_WAKE_EVERY_MS: '200' },
  });
  token = h.aios.cliTokens.get('maple')!;
  tenantId = h.aios.tenants.bySlugOrThrow('maple').id;
  await syncKnowledge(h.aios.db, tenantId, join(h.home, 'tenants', 'maple', 'knowledge'));
  const conn = await h.api(token, 'POST', '/api/v1/connections', { kind: 'stripe', name: 'payments', credentials: { webhookSecret: WHSEC } });
  expect(conn.status).toBe(201);
  stripeConn = conn.json.connection.id;
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await new Promise<void>((r) => smtp.close(() => r()));
});

describe('invoice chase', { timeout: 120_000 }, () => {
  it('starts one chase per invoice; bad invoices are skipped with a reason while the rest go on', async () => {
    // A: a Stripe invoice (signed invoice.finalized webhook), emailed; B: marked paid by the owner later;
    // C: a customer with only a phone (SMS); H: paid behind AIOS's back (no message).
    await stripeWebhook('invoice.finalized', stripeInvoice('in_a1', 'open', 'ana@customer.example', 'Ana Lopez'));
    ids.A = await invoiceByRef('in_a1');
    await stripeWebhook('invoice.finalized', stripeInvoice('in_p1', 'open', 'pia@customer.example', 'Pia Holm'));
    ids.P = await invoiceByRef('in_p1');
    ids.B = await insertInvoice({ number: 'B-7', email: 'ben@customer.example' });
    const contactC = newId('ct');
    await h.aios.db.insertInto('contacts').values({ id: contactC, tenant_id: tenantId, phone: '+14165550777', name: 'Cleo Tran' }).execute();
    ids.C = await insertInvoice({ number: 'C-9', contactId: contactC, name: 'Cleo Tran' });
    ids.H = await insertInvoice({ number: 'H-3', email: 'hugo@customer.example' });
    ids.E = await insertInvoice({ number: 'E-1', email: 'e@customer.example', dueAt: null });
    ids.F = await insertInvoice({ number: 'F-1', email: 'f@customer.example', amount: 30000, paid: 30000 });
    ids.G = await insertInvoice({ number: 'G-1', email: 'g@customer.example', currency: 'XYZ' });
    for (const k of ['A', 'P', 'B', 'C', 'H', 'E', 'F', 'G']) runs[k] = (await raise(INVOICE_DUE_SOON, ids[k]!))[0]!;
    for (const k of ['A', 'P', 'B', 'C', 'H']) await waitingRun(runs[k]!);
    const skipped = await Promise.all(['E', 'F', 'G'].map((k) => eventually(async () => { const r = await run(runs[k]!); return r.status === 'completed' && r.summary; }, 30_000, `run ${k}`)));
    expect(skipped).toEqual([
      'skipped invoice E-1: the invoice has no due date',
      'skipped invoice F-1: the balance is 0 cents (nothing owed)',
      'skipped invoice G-1: unknown currency "XYZ"',
    ]);
    expect(mails).toHaveLength(0);
  });

  it('an invoice first seen overdue, raised twice close together (overdue + due soon), gets ONE reminder; a CSV import marking it paid stops it', async () => {
    const csv = 'InvoiceNumber,ContactName,EmailAddress,InvoiceDate,DueDate,Total,AmountDue,Currency,Status\nD-5,Dora Kim,dora@customer.example,2026-11-01,2026-11-27,640.00,640.00,CAD,Authorised\n';
    const imp = await fetch(`${h.aios.url}/api/v1/imports/invoices`, { method: 'POST', body: csv, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } });
    expect(imp.status).toBe(200);
    ids.D = await invoiceByRef('D-5');
    const [overdueRun] = await raise(INVOICE_OVERDUE, ids.D);
    const [soonRun] = await raise(INVOICE_DUE_SOON, ids.D);
    await eventually(async () => mailsTo('dora@customer.example').length === 1, 30_000, 'the overdue reminder');
    const runsD = await Promise.all([overdueRun!, soonRun!].map((id) => eventually(async () => { const r = await run(id); return r.status !== 'running' && r; }, 30_000, id)));
    const other = runsD.find((r) => r.status === 'completed')!;
    expect(other.summary).toMatch(/^no chase: invoice D-5 is already chased by run /);
    runs.D = runsD.find((r) => r.status === 'waiting')!.id;
    await pause(800);
    const d = mailsTo('dora@customer.example');
    expect(d).toHaveLength(1);
    expect(d[0]!.mail.subject).toMatch(/^Reminder: invoice D-5 was due November 2[67], 2026$/);
    expect(d[0]!.mail.text).toContain('Amount due: $640.00');
    const rows = await h.aios.db.selectFrom('invoice_reminders').selectAll().where('invoice_id', '=', ids.D).execute();
    expect(rows.map((r) => [r.stage, r.outcome])).toEqual([['due', 'sent']]);

    const paid = csv.replace('640.00,640.00,CAD,Authorised', '640.00,0.00,CAD,Paid');
    expect((await fetch(`${h.aios.url}/api/v1/imports/invoices`, { method: 'POST', body: paid, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } })).status).toBe(200);
    const done = await eventually(async () => { const r = await run(runs.D!); return r.status === 'completed' && r; }, 30_000, 'the D chase to stop');
    expect(done.summary).toBe('invoice D-5 paid after 1 reminder, $640.00 recovered; started late, missed: before; due: email to dora@customer.example');
  });

  it('reminders before and on the due date (48 h apart at least), in the voice file’s sign-off, with the record’s figures', async () => {
    clock.set('2026-12-09T14:00:00Z'); // 09:00 Toronto, the day before
    // Every chase must have taken this day's step before the clock moves on (a run that wakes late on a
    // loaded machine would otherwise read the next day and send a day late).
    await eventually(async () => ['ana', 'ben', 'pia', 'hugo'].every((n) => mailsTo(`${n}@customer.example`).length === 1) && smsTo('+14165550777').length === 1, 30_000, 'the first reminders');
    const a1 = mailsTo('ana@customer.example')[0]!;
    expect(a1.at).toBe('2026-12-09T14:00:00.000Z');
    expect(a1.mail.subject).toBe('Invoice INV-A1 from Maple Plumbing: $1,250.00 due December 10, 2026');
    expect(a1.mail.text).toBe('Hi Ana,\n\nA friendly reminder that invoice INV-A1 is due on December 10, 2026. If you have already paid, thank you, and please ignore this note.\n\n'
      + 'Invoice: INV-A1\nAmount due: $1,250.00\nDue date: December 10, 2026\nPay online: https://invoice.stripe.com/i/acct_1/in_a1\n\n— Dana & the Maple team\n');
    expect(smsTo('+14165550777')[0]!.body).toBe('Maple Plumbing: Cleo, friendly reminder, invoice C-9 for $480.00 is due December 10, 2026. Interac e-Transfer to pay@maple.example - Dana & the Maple team'); // plain characters in SMS

    clock.set('2026-12-10T14:00:00Z'); // the due date: only 24 h after the last reminder → held by the cap
    // The run wakes (every 200 ms, later on a loaded machine), reads the new time and waits for the cap.
    await eventually(async () => (await run(runs.A!)).waiting_for === 'payment of invoice INV-A1 (the next reminder keeps 48 h after the last one)', 30_000, 'A held by the 48 h cap');
    for (const k of ['B', 'C', 'H', 'P']) await eventually(async () => (await run(runs[k]!)).waiting_for?.includes('48 h after the last one'), 30_000, `${k} held by the 48 h cap`);
    expect(mailsTo('ana@customer.example')).toHaveLength(1);

    clock.set('2026-12-11T14:00:00Z');
    await eventually(async () => mailsTo('ana@customer.example').length === 2 && mailsTo('ben@customer.example').length === 2 && mailsTo('hugo@customer.example').length === 2 && smsTo('+14165550777').length === 2, 30_000, 'the due-date reminders');
    const a2 = mailsTo('ana@customer.example')[1]!;
    expect(a2.at).toBe('2026-12-11T14:00:00.000Z');
    expect(a2.mail.subject).toBe('Reminder: invoice INV-A1 was due December 10, 2026');
    const at = (await h.aios.db.selectFrom('invoice_reminders').select(['stage', 'at']).where('invoice_id', '=', ids.A!).orderBy('at').execute()).map((r) => [r.stage, new Date(r.at).toISOString()]);
    expect(at).toEqual([['before', '2026-12-09T14:00:00.000Z'], ['due', '2026-12-11T14:00:00.000Z']]);
  });

  it('the owner marks B paid (API) → its run stops at once, ledger shows the money recovered; H paid silently → no reminder either', async () => {
    clock.set('2026-12-12T16:00:00Z');
    const r = await h.api(token, 'POST', `/api/v1/invoices/${ids.B}/paid`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ invoiceId: ids.B, status: 'paid', chaseStopped: true, alreadyPaid: false });
    const b = await eventually(async () => { const x = await run(runs.B!); return x.status === 'completed' && x; }, 30_000, 'B to stop');
    expect(b.summary).toBe('invoice B-7 paid after 2 reminders, $480.00 recovered; before: email to ben@customer.example; due: held by the 48 h cap until 2026-12-11T14:00:00.000Z; due: email to ben@customer.example');
    const led = await h.aios.db.selectFrom('ledger').select(['category', 'value_cents', 'minutes_saved']).where('run_id', '=', runs.B!).execute();
    expect(led.map((l) => [l.category, Number(l.value_cents), Number(l.minutes_saved)])).toEqual([['invoice_recovered', 48000, 20]]);
    expect((await h.api(token, 'POST', '/api/v1/invoices/inv_nope/paid')).status).toBe(404);
    // P is paid by card: a signed payment_intent.succeeded webhook naming the invoice (the invoice row itself stays "open").
    await stripeWebhook('payment_intent.succeeded', { id: 'pi_p1', object: 'payment_intent', amount: 125000, amount_received: 125000, currency: 'cad', created: unix('2026-12-12T16:00:00Z'), invoice: 'in_p1' });
    const p = await eventually(async () => { const x = await run(runs.P!); return x.status === 'completed' && x; }, 30_000, 'P to stop');
    expect(p.summary).toMatch(/^invoice INV-P1 paid after 2 reminders, \$1,250\.00 recovered; /);
    expect(mailsTo('pia@customer.example')).toHaveLength(2);
    // H is paid behind AIOS's back (no message): the run re-reads it before the next reminder.
    await h.aios.db.updateTable('invoices').set({ status: 'paid', amount_paid_cents: 48000 }).where('id', '=', ids.H!).execute();
  });

  it('+7 firm and +14 final; then a signed Stripe invoice.paid webhook stops A: no further reminder, money recovered', async () => {
    clock.set('2026-12-17T14:00:00Z');
    await eventually(async () => mailsTo('ana@customer.example').length === 3 && smsTo('+14165550777').length === 3, 30_000, 'the +7 reminders');
    expect(mailsTo('ana@customer.example')[2]!.mail.subject).toBe('Overdue: invoice INV-A1 ($1,250.00, due December 10, 2026)');
    expect(mailsTo('ana@customer.example')[2]!.mail.text).toContain('is now 7 days overdue. Please arrange payment this week');
    const h7 = await eventually(async () => { const x = await run(runs.H!); return x.status === 'completed' && x; }, 30_000, 'H to stop');
    expect(h7.summary).toMatch(/^invoice H-3 paid after 2 reminders, \$480\.00 recovered; /);
    expect(mailsTo('hugo@customer.example')).toHaveLength(2);

    clock.set('2026-12-24T14:00:00Z');
    await eventually(async () => mailsTo('ana@customer.example').length === 4 && smsTo('+14165550777').length === 4, 30_000, 'the +14 reminders');
    const final = mailsTo('ana@customer.example')[3]!;
    expect(final.mail.subject).toBe('Final reminder: invoice INV-A1 is 14 days overdue');
    expect(final.mail.text).toContain('This is our final reminder: invoice INV-A1 was due on December 10, 2026 and is now 14 days overdue. Please pay the balance within 7 days, or reply to tell us what is holding it up. After that, Dana will call you about it.');
    expect(smsTo('+14165550777')[3]!.body).toContain('final reminder, invoice C-9 for $480.00 is 14 days overdue. Please pay within 7 days or Dana will call you.');

    clock.set('2026-12-27T15:00:00Z');
    await stripeWebhook('invoice.paid', stripeInvoice('in_a1', 'paid', 'ana@customer.example', 'Ana Lopez'));
    const a = await eventually(async () => { const x = await run(runs.A!); return x.status === 'completed' && x; }, 30_000, 'A to stop');
    expect(a.summary).toMatch(/^invoice INV-A1 paid after 4 reminders, \$1,250\.00 recovered; before: email to ana@customer\.example; due: held by the 48 h cap until 2026-12-11T14:00:00\.000Z; due: email to ana@customer\.example; plus7: email to ana@customer\.example; plus14: email to ana@customer\.example$/);
    const led = await h.aios.db.selectFrom('ledger').select(['category', 'value_cents', 'minutes_saved']).where('run_id', '=', runs.A!).execute();
    expect(led.map((l) => [l.category, Number(l.value_cents), Number(l.minutes_saved)])).toEqual([['invoice_recovered', 125000, 40]]);
    const chase = await h.aios.db.selectFrom('invoice_chases').select(['status']).where('invoice_id', '=', ids.A!).executeTakeFirstOrThrow();
    expect(chase.status).toBe('paid');
  });

  it('+30: a call task for the owner (high-severity signal and an SMS to the owner); paid invoices get nothing more', async () => {
    clock.set('2027-01-09T14:00:00Z');
    const sig = await eventually(async () => h.aios.db.selectFrom('signals').selectAll().where('tenant_id', '=', tenantId).where('kind', '=', INVOICE_CALL_OWNER).executeTakeFirst(), 30_000, 'the call task');
    expect(sig.subject).toBe(ids.C);
    expect(sig.severity).toBe('high');
    expect(sig.data).toMatchObject({ number: 'C-9', balanceCents: 48000, phone: '+14165550777', daysLate: 30, remindersSent: 4 });
    const owner = await eventually(async () => smsTo(OWNER)[0], 30_000, 'the owner notice');
    expect(owner.body).toBe('Maple Plumbing: please call Cleo Tran (+14165550777) about invoice C-9: $480.00, 30 days overdue after 4 reminders.');
    await pause(1000);
    expect(mailsTo('ana@customer.example')).toHaveLength(4);
    expect(smsTo('+14165550777')).toHaveLength(4);
    const list = await h.api(token, 'GET', '/api/v1/invoices?status=unpaid');
    expect(list.status).toBe(200);
    expect(list.json.invoices.find((i: { id: string }) => i.id === ids.C)).toMatchObject({ number: 'C-9', balanceCents: 48000, chase: { status: 'active', reminders: 4 } });
    expect(list.json.invoices.some((i: { id: string }) => i.id === ids.A)).toBe(false);
  });

  it('CLI: `aios invoices` lists what is owed and the chase; `aios invoices paid ID` stops it — paid after the call task still counts as recovered', async () => {
    const target = { url: h.aios.url, token, slug: 'maple', home: h.home };
    const aios = (...args: string[]) => runCli((p) => invoiceCommands(p, () => target), ...args);
    const listed = await aios('invoices', '--status', 'unpaid');
    expect(listed).toMatch(new RegExp(`${ids.C}\\s+C-9\\s+open\\s+480\\.00 CAD\\s+2026-12-10\\s+Cleo Tran\\s+active, 4 sent`));
    expect(await aios('invoices', 'paid', ids.C!)).toBe(`${ids.C}: marked paid; its reminders stop\n`);
    const c = await eventually(async () => { const x = await run(runs.C!); return x.status === 'completed' && x; }, 30_000, 'C to stop');
    expect(c.summary).toMatch(/^invoice C-9 paid after 4 reminders, \$480\.00 recovered; .*call: task for the owner \(owner texted\)/);
    expect(await aios('invoices', 'paid', ids.C!)).toBe(`${ids.C}: was already paid\n`);
  });
});
