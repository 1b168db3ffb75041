import { sql } from 'kysely';
import type { Db } from '../../src/store/db.js';

/** The instant the seeded ledger history is read at: Thursday noon in Toronto (UTC−5); 4 weeks = Mondays Feb 9, 16, 23, Mar 2. */
export const LEDGER_NOW = '2026-03-05T17:00:00Z';
const H = 3_600_000;

/**
 * A business's ledger history with known figures (see test/ledger-roi.test.ts for the arithmetic):
 * ledger entries of four kinds and a model call, invoices paid with and without a reminder before
 * the payment, bookings from missed calls, web forms, the owner and a cancelled widget lead, and
 * conversations the owner answered first (one answered by a run; questions stored after their
 * answers, as an out-of-order import would). Ids are prefixed with `p` so two businesses can hold
 * the same history.
 */
export async function seedLedgerHistory(db: Db, t: string, p: string): Promise<void> {
  const ledger = (cat: string, at: string, opts: { responseMs?: number; aiMicros?: number; minutes?: number } = {}) =>
    sql`insert into ledger (id, tenant_id, run_id, category, minutes_saved, ai_cost_micros, response_ms, created_at)
        values (${`${p}led_${cat}_${at}`}, ${t}, ${`${p}run_${cat}_${at}`}, ${cat}, ${opts.minutes ?? 99}, ${opts.aiMicros ?? 0}, ${opts.responseMs ?? null}, ${at})`.execute(db);
  await ledger('missed_call_text_back', '2026-02-24T15:00:00Z', { responseMs: 4_000 });
  await ledger('missed_call_text_back', '2026-02-25T15:00:00Z', { responseMs: 6_000 });
  await ledger('missed_call_text_back', '2026-02-26T15:00:00Z', { responseMs: 20_000 });
  await ledger('lead_response', '2026-03-02T15:00:00Z', { responseMs: 10_000 });
  await ledger('lead_response', '2026-03-03T15:00:00Z', { responseMs: 30_000 });
  await ledger('booking', '2026-03-03T18:00:00Z');
  await ledger('invoice_recovered', '2026-03-03T19:00:00Z');
  await ledger('ai.draft', '2026-02-17T15:00:00Z', { aiMicros: 1_500_000, responseMs: 900 });
  await ledger('missed_call_text_back', '2026-01-10T15:00:00Z', { responseMs: 8_000 }); // before the period

  // Invoices: paid after a sent reminder (counted), paid with no reminder, with a refused one, or before the reminder (not).
  await sql`insert into contacts (id, tenant_id, phone, source) values (${`${p}ct1`}, ${t}, '+14165550401', 'sms'), (${`${p}ct2`}, ${t}, '+14165550402', 'sms'), (${`${p}ct3`}, ${t}, '+14165550403', 'sms'), (${`${p}ct4`}, ${t}, '+14165550404', 'sms')`.execute(db);
  const invoice = (id: string, cents: number, paidAt: string) =>
    sql`insert into invoices (id, tenant_id, external_ref, source, status, currency, amount_cents, amount_paid_cents, paid_at, due_at)
        values (${p + id}, ${t}, ${p + id}, 'csv', 'paid', 'CAD', ${cents}, ${cents}, ${paidAt}, '2026-02-15T00:00:00Z')`.execute(db);
  const reminder = (inv: string, stage: string, at: string, outcome: string, channel = 'email') =>
    sql`insert into invoice_reminders (id, tenant_id, invoice_id, run_id, stage, channel, at, outcome) values (${`${p}rem_${inv}_${stage}`}, ${t}, ${p + inv}, 'run', ${stage}, ${channel}, ${at}, ${outcome})`.execute(db);
  await invoice('inv_a', 40_000, '2026-03-03T15:00:00Z');
  await reminder('inv_a', 'due', '2026-02-25T15:00:00Z', 'sent');
  await sql`insert into invoice_chases (invoice_id, tenant_id, run_id, status, balance_cents_at_start, started_at) values (${`${p}inv_a`}, ${t}, 'run', 'paid', 30000, '2026-02-20T00:00:00Z')`.execute(db);
  await invoice('inv_e', 12_000, '2026-02-18T15:00:00Z');
  await reminder('inv_e', 'plus7', '2026-02-17T15:00:00Z', 'sent', 'sms');
  await invoice('inv_b', 50_000, '2026-03-01T15:00:00Z');
  await invoice('inv_c', 60_000, '2026-03-01T16:00:00Z');
  await reminder('inv_c', 'due', '2026-02-25T15:00:00Z', 'refused');
  await invoice('inv_d', 70_000, '2026-02-20T15:00:00Z');
  await reminder('inv_d', 'plus7', '2026-02-22T15:00:00Z', 'sent');

  // Jobs: booked from a missed call and a web form (counted); from the owner's own booking, and a cancelled widget lead (not).
  const deal = (id: string, ct: string, source: string) => sql`insert into deals (id, tenant_id, contact_id, title, stage, source) values (${p + id}, ${t}, ${p + ct}, 'Job', 'booked', ${source})`.execute(db);
  await deal('d1', 'ct1', 'missed_call');
  await deal('d2', 'ct2', 'web_form');
  await deal('d3', 'ct3', 'booking');
  await deal('d4', 'ct4', 'widget');
  const booking = (id: string, ct: string, dealId: string, status: string, createdAt: string, startsAt: string) =>
    sql`insert into bookings (id, tenant_id, contact_id, channel, address, starts_at, ends_at, blocked, status, key, deal_id, created_at)
        values (${p + id}, ${t}, ${p + ct}, 'sms', '+1', ${startsAt}, ${startsAt}::timestamptz + interval '1 hour', tstzrange(${startsAt}::timestamptz, ${startsAt}::timestamptz + interval '1 hour'), ${status}, ${p + id}, ${p + dealId}, ${createdAt})`.execute(db);
  await booking('b1', 'ct1', 'd1', 'booked', '2026-02-24T16:00:00Z', '2026-03-10T14:00:00Z');
  await booking('b2', 'ct2', 'd2', 'done', '2026-03-03T16:00:00Z', '2026-03-04T14:00:00Z');
  await booking('b3', 'ct3', 'd3', 'booked', '2026-03-03T16:00:00Z', '2026-03-11T14:00:00Z');
  await booking('b4', 'ct4', 'd4', 'cancelled', '2026-03-03T16:00:00Z', '2026-03-12T14:00:00Z');

  // The business's own first replies: 4 h (week of Feb 9), 2 h (week of Feb 16), 1 h (January); one answered by a run.
  const conversation = async (id: string, ct: string, asked: string, replyAfterMs: number, runId: string | null) => {
    await sql`insert into conversations (id, tenant_id, contact_id, channel, address, last_message_at) values (${p + id}, ${t}, ${p + ct}, 'sms', ${p + id}, ${asked})`.execute(db);
    const replied = new Date(new Date(asked).getTime() + replyAfterMs).toISOString();
    await sql`insert into messages (id, tenant_id, conversation_id, direction, body, run_id, created_at) values
      (${`${p}${id}_m2`}, ${t}, ${p + id}, 'outbound', 'Sure', ${runId}, ${replied}),
      (${`${p}${id}_m3`}, ${t}, ${p + id}, 'outbound', 'Later note', null, ${new Date(new Date(replied).getTime() + 60_000).toISOString()})`.execute(db);
    // The question arrives after its answer was written down (an import out of order): still the first inbound.
    await sql`insert into messages (id, tenant_id, conversation_id, direction, body, created_at) values (${`${p}${id}_m1`}, ${t}, ${p + id}, 'inbound', 'Quote?', ${asked})`.execute(db);
  };
  await conversation('cv1', 'ct1', '2026-02-10T15:00:00Z', 4 * H, null);
  await conversation('cv2', 'ct2', '2026-02-17T15:00:00Z', 2 * H, null);
  await conversation('cv3', 'ct3', '2026-01-12T15:00:00Z', 1 * H, null);
  await conversation('cv4', 'ct4', '2026-02-18T15:00:00Z', 5_000, 'lead-response@1:x');
}
