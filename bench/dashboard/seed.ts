/**
 * Seeds one business with a dashboard-sized history straight into the tables (multi-row
 * `insert … select generate_series`, a few seconds): contacts, conversations (about 1.2 per
 * contact: everyone texted, a fifth also e-mailed), messages spread over those conversations,
 * playbook runs, approvals (a couple of hundred pending, thousands decided), signals, outbox texts,
 * ledger entries (two per run), invoices (a third reminded), deals and a booking per deal. Timestamps
 * go back 180 days from `now`.
 */
import { sql } from 'kysely';
import type { Db } from '../../src/store/db.js';

/** How many rows of each kind {@link seedDashboard} writes. */
export interface SeedCounts {
  contacts: number;
  conversations: number;
  messages: number;
  runs: number;
  approvalsPending: number;
  approvalsDecided: number;
  signals: number;
  outbox: number;
  ledger: number;
  invoices: number;
  deals: number;
}

/** The sizes: 10,000 runs, 50,000 messages, 5,000 contacts, … */
export const DEFAULT_COUNTS: SeedCounts = {
  contacts: 5_000, conversations: 6_000, messages: 50_000, runs: 10_000, approvalsPending: 200, approvalsDecided: 3_000,
  signals: 3_000, outbox: 12_000, ledger: 20_000, invoices: 2_000, deals: 1_500,
};

/** Scales every count by `f` (at least 1 each), for a quick run. */
export function scaled(f: number): SeedCounts {
  return Object.fromEntries(Object.entries(DEFAULT_COUNTS).map(([k, v]) => [k, Math.max(1, Math.round(v * f))])) as unknown as SeedCounts;
}

/** Writes the rows for business `t` (ids prefixed `b_` so they never meet AIOS's own). */
export async function seedDashboard(db: Db, t: string, now: Date, n: SeedCounts = DEFAULT_COUNTS): Promise<void> {
  const nowLit = now.toISOString();
  const q = (text: string) => sql.raw(text.replaceAll('$T', `'${t}'`).replaceAll('$NOW', `'${nowLit}'::timestamptz`)).execute(db);
  const emailed = Math.max(0, n.conversations - n.contacts);
  await q(`insert into contacts (id, tenant_id, name, phone, email, source, created_at)
    select 'b_ct' || i, $T, 'Customer ' || i, '+1416' || lpad(i::text, 7, '0'), case when i <= ${emailed} then 'c' || i || '@cust.example' end, 'bench',
           $NOW - (i % 180) * interval '1 day'
    from generate_series(1, ${n.contacts}) i`);
  await q(`insert into conversations (id, tenant_id, contact_id, channel, address, state, waiting_since, last_message_at, created_at)
    select 'b_cv' || i, $T, 'b_ct' || i, 'sms', '+1416' || lpad(i::text, 7, '0'),
           case when i % 50 = 0 then 'waiting_for_owner' else 'open' end, case when i % 50 = 0 then $NOW - interval '2 hours' end,
           $NOW - (i % 180) * interval '1 day' + (i % 1440) * interval '1 minute', $NOW - (i % 180) * interval '1 day'
    from generate_series(1, ${Math.min(n.contacts, n.conversations)}) i`);
  if (emailed > 0) {
    await q(`insert into conversations (id, tenant_id, contact_id, channel, address, last_message_at, created_at)
      select 'b_cve' || i, $T, 'b_ct' || i, 'email', 'c' || i || '@cust.example', $NOW - (i % 90) * interval '1 day', $NOW - (i % 90) * interval '1 day'
      from generate_series(1, ${emailed}) i`);
  }
  // Messages: conversation i % conversations, alternating inbound/outbound, 20 minutes apart.
  const smsConvs = Math.min(n.contacts, n.conversations);
  await q(`insert into messages (id, tenant_id, conversation_id, direction, body, run_id, created_at)
    select 'b_msg' || i, $T, case when c <= ${smsConvs} then 'b_cv' || c else 'b_cve' || (c - ${smsConvs}) end,
           case when (i / ${n.conversations}) % 2 = 0 then 'inbound' else 'outbound' end,
           'Hi, this is message ' || i || ' about the job at 12 Main St. Can you come Tuesday?',
           case when (i / ${n.conversations}) % 2 = 1 and i % 3 = 0 then 'b_run' || (i % ${n.runs} + 1) end,
           $NOW - (c % 180) * interval '1 day' + (i / ${n.conversations}) * interval '20 minutes'
    from (select i, i % ${n.conversations} + 1 as c from generate_series(1, ${n.messages}) i) s`);
  await q(`insert into runs (id, tenant_id, playbook, version, status, trigger_type, trigger_ref, summary, started_at, updated_at, finished_at)
    select 'b_run' || i, $T, (array['missed-call-text-back','lead-response','invoice-chase','review-request','inbox-triage'])[i % 5 + 1], 1,
           case when i <= ${n.approvalsPending} then 'waiting' when i % 97 = 0 then 'failed' else 'completed' end,
           'event', 'b_ev' || i, 'Texted the caller back', $NOW - (i * 1.5) * interval '1 minute' * 25, $NOW - (i * 1.5) * interval '1 minute' * 25,
           case when i > ${n.approvalsPending} then $NOW - (i * 1.5) * interval '1 minute' * 25 + interval '2 seconds' end
    from generate_series(1, ${n.runs}) i`);
  const approvals = n.approvalsPending + n.approvalsDecided;
  await q(`insert into approvals (id, tenant_id, run_id, step_id, action_kind, recipient, proposal, reasons, status, deadline, decided_by, decided_at, short_code, created_at)
    select 'b_ap' || i, $T, 'b_run' || i, 'send', 'sms.send', '+1416' || lpad((i % ${n.contacts} + 1)::text, 7, '0'),
           jsonb_build_object('kind', 'sms.send', 'to', '+1416' || lpad((i % ${n.contacts} + 1)::text, 7, '0'), 'body', 'Sorry we missed your call! Book here: https://book.example/x'),
           '["first contact"]'::jsonb,
           case when i <= ${n.approvalsPending} then 'pending' when i % 7 = 0 then 'rejected' when i % 11 = 0 then 'expired' else 'approved' end,
           $NOW + interval '1 day' - (i * 37.5) * interval '1 minute',
           case when i > ${n.approvalsPending} then 'owner' end, case when i > ${n.approvalsPending} then $NOW - (i * 37.5) * interval '1 minute' + interval '5 minutes' end,
           case when i <= ${n.approvalsPending} then 'A' || i end,
           $NOW - (i * 37.5) * interval '1 minute'
    from generate_series(1, ${Math.min(approvals, n.runs)}) i`);
  await q(`insert into signals (id, tenant_id, kind, subject, severity, status, dedup_key, data, created_at, updated_at)
    select 'b_sg' || i, $T, (array['missed_call','email_unanswered','invoice_overdue','deal_stalled'])[i % 4 + 1], 'b_ct' || (i % ${n.contacts} + 1), 'normal',
           case when i % 10 = 0 then 'open' when i % 10 = 1 then 'dismissed' else 'resolved' end, 'b_dk' || i, '{}'::jsonb,
           $NOW - (i * 80) * interval '1 minute', $NOW - (i * 80) * interval '1 minute'
    from generate_series(1, ${n.signals}) i`);
  await q(`insert into outbox (id, tenant_id, run_id, step_id, idempotency_key, kind, channel, recipient, payload, status, segments, created_at, sent_at)
    select 'b_ob' || i, $T, 'b_run' || (i % ${n.runs} + 1), 'send' || i, 'b_idem' || i, 'sms.send', 'sms', '+1416' || lpad((i % ${n.contacts} + 1)::text, 7, '0'),
           jsonb_build_object('body', 'Thanks for calling!'), case when i % 50 = 0 then 'failed' else 'sent' end, 1 + i % 2,
           $NOW - (i * 20) * interval '1 minute', $NOW - (i * 20) * interval '1 minute'
    from generate_series(1, ${n.outbox}) i`);
  await q(`insert into ledger (id, tenant_id, run_id, category, minutes_saved, value_cents, ai_cost_micros, response_ms, created_at)
    select 'b_lg' || i, $T, 'b_run' || ((i - 1) % ${n.runs} + 1), (array['missed_call_text_back','lead_response','invoice_chase','review_request'])[((i - 1) / ${n.runs}) % 4 + 1],
           (3 + i % 10)::numeric, (i % 20) * 500, 1200 + i % 900, 5000 + (i * 37) % 60000,
           $NOW - ((i - 1) % ${n.runs} * 1.5) * interval '1 minute' * 25
    from generate_series(1, ${n.ledger}) i`);
  await q(`insert into invoices (id, tenant_id, contact_id, number, external_ref, source, status, currency, amount_cents, amount_paid_cents, due_at, issued_at, paid_at, customer_name, updated_at)
    select 'b_inv' || i, $T, 'b_ct' || (i % ${n.contacts} + 1), 'INV-' || i, 'b_r' || i, 'csv',
           case when i % 5 = 0 then 'overdue' when i % 5 = 1 then 'open' else 'paid' end, 'CAD', 15000 + (i % 40) * 2500,
           case when i % 5 > 1 then 15000 + (i % 40) * 2500 else 0 end,
           $NOW + ((i % 60) - 40) * interval '1 day', $NOW - (i % 180) * interval '1 day',
           case when i % 5 > 1 then $NOW - (i % 180) * interval '1 day' + interval '20 days' end, 'Customer ' || i, $NOW - (i % 180) * interval '1 day'
    from generate_series(1, ${n.invoices}) i`);
  // A reminder sent for every third invoice (two days before a paid one was paid): "paid after a reminder".
  await q(`insert into invoice_reminders (id, tenant_id, invoice_id, run_id, stage, channel, at, outcome)
    select 'b_rem' || i, $T, 'b_inv' || i, 'b_run' || (i % ${n.runs} + 1), 'due', 'email', $NOW - (i % 180) * interval '1 day' + interval '18 days', 'sent'
    from generate_series(1, ${n.invoices}) i where i % 3 = 0`);
  await q(`insert into deals (id, tenant_id, contact_id, title, stage, value_cents, source, last_activity_at, created_at)
    select 'b_deal' || i, $T, 'b_ct' || (i % ${n.contacts} + 1), 'Job ' || i, (array['new','quoted','won','lost'])[i % 4 + 1], 50000 + (i % 30) * 10000,
           (array['missed_call','web_form','widget','bench'])[i % 4 + 1],
           $NOW - (i % 60) * interval '1 day', $NOW - (i % 120) * interval '1 day'
    from generate_series(1, ${n.deals}) i`);
  // A booking per deal, an hour long, three hours apart going back (never overlapping).
  await q(`insert into bookings (id, tenant_id, contact_id, channel, address, starts_at, ends_at, blocked, status, key, deal_id, created_at)
    select 'b_bk' || i, $T, 'b_ct' || (i % ${n.contacts} + 1), 'sms', '+1416' || lpad((i % ${n.contacts} + 1)::text, 7, '0'),
           $NOW - i * interval '3 hours', $NOW - i * interval '3 hours' + interval '1 hour',
           tstzrange($NOW - i * interval '3 hours', $NOW - i * interval '3 hours' + interval '1 hour'),
           (array['booked','done','cancelled','confirmed'])[i % 4 + 1], 'b_bk' || i, 'b_deal' || i, $NOW - i * interval '3 hours' - interval '2 days'
    from generate_series(1, ${n.deals}) i`);
  // As after autovacuum: planner statistics, and a visibility map so index-only scans apply (and no autovacuum competes with the measurements).
  await sql`vacuum (analyze)`.execute(db);
}
