import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { AuditKey, MeasuredValue } from './questions.js';
import '../../connection/framework/tables.js';

/** How far back volumes are measured: 8 weeks. */
export const MEASURE_WEEKS = 8;
const WEEK_MS = 7 * 86_400_000;
const DAYS_PER_MONTH = 30.44;

/** Signal kinds the volumes are counted from (raised by intake and the watchers). */
const KINDS = { missedCall: 'missed_call', lead: 'new_lead', email: 'email_received' } as const;

/** What history says, and why the rest could not be measured. */
export interface MeasuredInputs {
  window: { since: string; until: string };
  values: Partial<Record<AuditKey, MeasuredValue>>;
  /** One sentence per measurable input that has no data in the window, e.g. "no invoices issued in the last 8 weeks". */
  unmeasured: string[];
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Volumes from the business's own history over the last {@link MEASURE_WEEKS} weeks: calls (the
 * calls AIOS answered plus the missed-call signals), leads (new-lead signals), emails (received-mail
 * signals), invoices (issued, paid late), the average paid invoice, and the business's own median
 * time to answer a customer's first message. An input is measured only when its source has at
 * least one item in the window (no connection looks the same as a quiet month, and zero would
 * be a guess): the others are listed in `unmeasured`.
 */
export async function measureInputs(db: Db, tenantId: string, now: Date): Promise<MeasuredInputs> {
  const since = new Date(now.getTime() - MEASURE_WEEKS * WEEK_MS);
  const window = { since: since.toISOString(), until: now.toISOString() };
  const values: MeasuredInputs['values'] = {};
  const unmeasured: string[] = [];
  const put = (key: AuditKey, value: number, basis: string) => (values[key] = { value, basis: `measured from your history: ${basis}`, window });
  const weeks = `${MEASURE_WEEKS} weeks`;

  const signalCounts = await db.selectFrom('signals').select(['kind', sql<number>`count(*)::int`.as('n')])
    .where('tenant_id', '=', tenantId).where('kind', 'in', Object.values(KINDS)).where('created_at', '>=', since).where('created_at', '<', now)
    .where('dedup_key', 'not like', 'manual:%').groupBy('kind').execute();
  const count = (kind: string) => Number(signalCounts.find((r) => r.kind === kind)?.n ?? 0);

  const answered = Number((await db.selectFrom('calls').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', tenantId).where('started_at', '>=', since).where('started_at', '<', now).executeTakeFirstOrThrow()).n);
  const missed = count(KINDS.missedCall);
  if (missed + answered > 0) {
    put('callsPerWeek', round((missed + answered) / MEASURE_WEEKS), `${missed + answered} calls (${answered} answered by AIOS, ${missed} missed) over ${weeks}`);
    put('missedCallShare', round(missed / (missed + answered), 2), `${missed} of ${missed + answered} calls missed over ${weeks}`);
  } else unmeasured.push(`no calls in the last ${weeks} (is the phone number connected?)`);

  const leads = count(KINDS.lead);
  if (leads > 0) put('leadsPerWeek', round(leads / MEASURE_WEEKS), `${leads} new leads over ${weeks}`);
  else unmeasured.push(`no new leads in the last ${weeks}`);

  const emails = count(KINDS.email);
  if (emails > 0) put('emailsPerDay', round(emails / (MEASURE_WEEKS * 7)), `${emails} emails received over ${weeks}`);
  else unmeasured.push(`no emails received in the last ${weeks} (is the inbox connected?)`);

  const speed = await ownResponse(db, tenantId, since, now);
  if (speed.n > 0 && speed.p50Ms !== null) put('leadResponseHours', round(speed.p50Ms / 3_600_000, 2), `median of ${speed.n} first replies you wrote yourself over ${weeks}`);
  else unmeasured.push(`no first reply written by you in the last ${weeks} to time`);

  const inv = await db.selectFrom('invoices').select([
    sql<number>`count(*) filter (where coalesce(issued_at, updated_at) >= ${since} and coalesce(issued_at, updated_at) < ${now})::int`.as('issued'),
    sql<number>`count(*) filter (where due_at >= ${since} and due_at < ${now} and status <> 'void')::int`.as('due'),
    sql<number>`count(*) filter (where due_at >= ${since} and due_at < ${now} and status <> 'void' and ((paid_at is not null and paid_at > due_at) or (paid_at is null and status in ('open', 'overdue', 'uncollectible'))))::int`.as('late'),
    sql<number>`count(*) filter (where paid_at >= ${since} and paid_at < ${now})::int`.as('paid'),
    sql<number | null>`avg(amount_cents) filter (where paid_at >= ${since} and paid_at < ${now})`.as('avgPaid'),
  ]).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
  if (inv.issued > 0) put('invoicesPerMonth', round((inv.issued / (MEASURE_WEEKS * 7)) * DAYS_PER_MONTH), `${inv.issued} invoices issued over ${weeks}`);
  else unmeasured.push(`no invoices issued in the last ${weeks} (connect Stripe or import invoices)`);
  if (inv.due > 0) put('lateInvoiceShare', round(inv.late / inv.due, 2), `${inv.late} of ${inv.due} invoices due in the last ${weeks} were paid late or not yet`);
  else unmeasured.push(`no invoices fell due in the last ${weeks}`);
  if (inv.paid > 0 && inv.avgPaid !== null) put('averageJobValue', Math.round(Number(inv.avgPaid) / 100), `average of ${inv.paid} invoices paid over ${weeks}`);
  else unmeasured.push(`no invoices paid in the last ${weeks} to average`);

  return { window, values, unmeasured };
}

/** The business's own median time from a customer's first message to the first reply not written by AIOS. */
async function ownResponse(db: Db, tenantId: string, since: Date, until: Date): Promise<{ n: number; p50Ms: number | null }> {
  const r = await sql<{ n: number; p50: number | null }>`
    with firsts as (
      select m.conversation_id, min(m.created_at) as asked_at
      from messages m where m.tenant_id = ${tenantId} and m.direction = 'inbound'
      group by m.conversation_id
      having min(m.created_at) >= ${since} and min(m.created_at) < ${until}
    ), replies as (
      select distinct on (f.conversation_id) f.asked_at, o.created_at as replied_at, o.run_id
      from firsts f join messages o
        on o.conversation_id = f.conversation_id and o.tenant_id = ${tenantId} and o.direction = 'outbound' and o.created_at > f.asked_at
      order by f.conversation_id, o.created_at
    )
    select count(*)::int as n, percentile_cont(0.5) within group (order by extract(epoch from (replied_at - asked_at)) * 1000) as p50
    from replies where run_id is null`.execute(db);
  const row = r.rows[0];
  return { n: Number(row?.n ?? 0), p50Ms: row?.p50 === null || row?.p50 === undefined ? null : Number(row.p50) };
}
