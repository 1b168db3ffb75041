import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { weekOf, type LedgerPeriod } from './ledger-weeks.js';

/** Deal sources of a job AIOS won: a missed call texted back, a web form or chat-widget lead answered. */
export const WON_DEAL_SOURCES = ['missed_call', 'web_form', 'widget'] as const;
/** Booking statuses that are a job (not a hold, not cancelled, not a no-show). */
export const JOB_BOOKING_STATUSES = ['booked', 'confirmed', 'done'] as const;

/** Money recovered in one week (or the whole period). */
export interface RecoveredWeek {
  /** Invoices paid after AIOS sent a reminder: how many, and what they paid (cents, capped at what was owed when the chase began). */
  invoicesPaid: number;
  invoiceCents: number;
  /** Jobs booked from missed calls and leads (bookings whose deal came from one), booked this week. */
  jobsBooked: number;
}

/**
 * What AIOS recovered in the period, per local week:
 * - invoices paid (`paid_at` in the week) after at least one reminder AIOS sent (`invoice_reminders`
 *   outcome `sent`, `at` before the payment, owner call tasks excluded); the amount is what was paid,
 *   at most the balance when the chase began;
 * - jobs booked (`bookings.created_at` in the week, status booked/confirmed/done) whose deal's source
 *   is a missed call, a web form or the chat widget ({@link WON_DEAL_SOURCES}).
 * Both count only this tenant's rows. Valuing the jobs (× average job value) is the caller's.
 */
export async function moneyRecovered(db: Db, tenantId: string, period: LedgerPeriod): Promise<Map<string, RecoveredWeek>> {
  const tz = period.timeZone;
  const [invoices, jobs] = await Promise.all([
    sql<{ week: string; n: number; cents: string }>`
      select ${weekOf(sql`i.paid_at`, tz)} as week, count(*)::int as n,
             coalesce(sum(least(i.amount_paid_cents, coalesce(c.balance_cents_at_start, i.amount_cents))), 0)::bigint as cents
      from invoices i left join invoice_chases c on c.invoice_id = i.id and c.tenant_id = i.tenant_id
      where i.tenant_id = ${tenantId} and i.status = 'paid' and i.paid_at >= ${period.since} and i.paid_at < ${period.until}
        and exists (select 1 from invoice_reminders r where r.invoice_id = i.id and r.tenant_id = i.tenant_id
                    and r.outcome = 'sent' and r.channel <> 'owner_call' and r.at <= i.paid_at)
      group by 1`.execute(db),
    sql<{ week: string; n: number }>`
      select ${weekOf(sql`b.created_at`, tz)} as week, count(*)::int as n
      from bookings b join deals d on d.id = b.deal_id and d.tenant_id = b.tenant_id
      where b.tenant_id = ${tenantId} and b.status in (${sql.join([...JOB_BOOKING_STATUSES])})
        and d.source in (${sql.join([...WON_DEAL_SOURCES])})
        and b.created_at >= ${period.since} and b.created_at < ${period.until}
      group by 1`.execute(db),
  ]);
  const out = new Map<string, RecoveredWeek>();
  const at = (week: string) => out.get(week) ?? out.set(week, { invoicesPaid: 0, invoiceCents: 0, jobsBooked: 0 }).get(week)!;
  for (const r of invoices.rows) Object.assign(at(r.week), { invoicesPaid: Number(r.n), invoiceCents: Number(r.cents) });
  for (const r of jobs.rows) at(r.week).jobsBooked = Number(r.n);
  return out;
}
