import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { UserRole } from '../../records/scopes.js';
import type { AuditAnswers } from '../audit/questions.js';
import { roiSettingsFrom } from '../roi-settings.js';
import { DAYS_PER_MONTH } from '../ledger-summary.js';
import { JOB_BOOKING_STATUSES, WON_DEAL_SOURCES } from '../money-recovered.js';
import '../../connection/framework/tables.js';

const DAY_MS = 86_400_000;

/** One connection of a business as the overview shows it. */
export interface AgencyConnection {
  id: string;
  kind: string;
  name: string;
  /** `ok`, `error`, `auth_failed` or `disabled` (connections table). */
  status: string;
  ok: boolean;
  lastError: string | null;
  lastSyncAt: string | null;
}

/** One business of the agency overview; "week" is the business's local week since Monday, "month" its local month to date. */
export interface AgencyBusiness {
  tenantId: string;
  slug: string;
  name: string;
  role: UserRole;
  timeZone: string;
  currency: string;
  runsThisWeek: number;
  textsSentThisWeek: number;
  emailsSentThisWeek: number;
  /** Model cost this month, cents of the business's currency (ledger micro-dollars ÷ 10,000). */
  aiCostCentsThisMonth: number;
  hoursSavedThisMonth: number;
  /** Invoices paid after a reminder + jobs booked from missed calls and leads × average job value, cents. */
  moneyRecoveredCentsThisMonth: number;
  /** Value ÷ cost this month, as the ledger summary computes it; null when the cost is 0 or the business is not loaded. */
  roiThisMonth: number | null;
  valueCentsThisMonth: number;
  costCentsThisMonth: number;
  connections: AgencyConnection[];
  /** A connection failing (status other than ok or disabled). */
  connectionsFailing: number;
  /** Calls and texts can reach it: the instance has Twilio credentials and the business a number. */
  phoneConfigured: boolean;
  /** Mail: an IMAP connection that is not failing, or the instance's SMTP for outgoing mail. */
  mailConfigured: boolean;
  approvalsWaiting: number;
  signalsOpen: number;
}

/** What the overview needs besides the database. */
export interface OverviewOptions {
  now: Date;
  /** The loaded business of an id (ROI settings come from tenant.yaml); undefined when not loaded. */
  tenant: (id: string) => TenantInfo | undefined;
  /** Instance-wide: Twilio credentials and an SMTP server are set. */
  twilioConfigured: boolean;
  smtpConfigured: boolean;
}

type Counts = Map<string, Record<string, number>>;
const add = (m: Counts, id: string, k: string, v: number) => {
  const row = m.get(id) ?? m.set(id, {}).get(id)!;
  row[k] = (row[k] ?? 0) + v;
};

/**
 * The agency overview: one row per business in `members` (the caller's memberships), each with
 * usage, AI cost, hours saved, money recovered, ROI, connection health, waiting approvals and open
 * signals. A fixed number of grouped queries for all the businesses together (never one per
 * business); each business's week and month start in its own time zone (computed in SQL).
 */
export async function agencyOverview(db: Db, members: Array<{ tenantId: string; slug: string; name: string; role: UserRole }>, o: OverviewOptions): Promise<AgencyBusiness[]> {
  if (!members.length) return [];
  const ids = members.map((m) => m.tenantId);
  const idList = sql`${sql.val(ids)}::text[]`;
  const periods = sql`select id, time_zone, currency,
      date_trunc('week', ${o.now}::timestamptz at time zone time_zone) at time zone time_zone as week_since,
      date_trunc('month', ${o.now}::timestamptz at time zone time_zone) at time zone time_zone as month_since
    from tenants where id = any(${idList})`;
  const [p, runs, sent, ledger, invoices, jobs, approvals, signals, connections, audits] = await Promise.all([
    sql<{ id: string; time_zone: string; currency: string; week_since: Date; month_since: Date }>`${periods}`.execute(db),
    sql<{ tenant_id: string; n: number }>`with p as (${periods})
      select r.tenant_id, count(*)::int as n from runs r join p on p.id = r.tenant_id
      where r.tenant_id = any(${idList}) and r.mode = 'live' and r.started_at >= p.week_since group by 1`.execute(db),
    sql<{ tenant_id: string; sms: number; email: number }>`with p as (${periods})
      select o.tenant_id, count(*) filter (where o.channel = 'sms')::int as sms, count(*) filter (where o.channel = 'email')::int as email
      from outbox o join p on p.id = o.tenant_id
      where o.tenant_id = any(${idList}) and o.status = 'sent' and o.channel in ('sms', 'email') and o.sent_at >= p.week_since group by 1`.execute(db),
    sql<{ tenant_id: string; category: string; n: number; minutes: string; ai: string }>`with p as (${periods})
      select l.tenant_id, l.category, count(*)::int as n, coalesce(sum(l.minutes_saved), 0) as minutes, coalesce(sum(l.ai_cost_micros), 0) as ai
      from ledger l join p on p.id = l.tenant_id
      where l.tenant_id = any(${idList}) and l.created_at >= p.month_since and l.created_at < ${o.now} group by 1, 2`.execute(db),
    sql<{ tenant_id: string; cents: string }>`with p as (${periods})
      select i.tenant_id, coalesce(sum(least(i.amount_paid_cents, coalesce(c.balance_cents_at_start, i.amount_cents))), 0)::bigint as cents
      from invoices i join p on p.id = i.tenant_id left join invoice_chases c on c.invoice_id = i.id and c.tenant_id = i.tenant_id
      where i.tenant_id = any(${idList}) and i.status = 'paid' and i.paid_at >= p.month_since and i.paid_at < ${o.now}
        and exists (select 1 from invoice_reminders r where r.invoice_id = i.id and r.tenant_id = i.tenant_id
                    and r.outcome = 'sent' and r.channel <> 'owner_call' and r.at <= i.paid_at)
      group by 1`.execute(db),
    sql<{ tenant_id: string; n: number }>`with p as (${periods})
      select b.tenant_id, count(*)::int as n from bookings b join p on p.id = b.tenant_id join deals d on d.id = b.deal_id and d.tenant_id = b.tenant_id
      where b.tenant_id = any(${idList}) and b.status in (${sql.join([...JOB_BOOKING_STATUSES])}) and d.source in (${sql.join([...WON_DEAL_SOURCES])})
        and b.created_at >= p.month_since and b.created_at < ${o.now} group by 1`.execute(db),
    sql<{ tenant_id: string; n: number }>`select tenant_id, count(*)::int as n from approvals where tenant_id = any(${idList}) and status = 'pending' group by 1`.execute(db),
    sql<{ tenant_id: string; n: number }>`select tenant_id, count(*)::int as n from signals where tenant_id = any(${idList}) and status = 'open' group by 1`.execute(db),
    db.selectFrom('connections').select(['id', 'tenant_id', 'kind', 'name', 'status', 'last_error', 'last_sync_at']).where('tenant_id', 'in', ids).orderBy('tenant_id').orderBy('created_at').execute(),
    sql<{ tenant_id: string; answers: AuditAnswers }>`select distinct on (tenant_id) tenant_id, answers from audits where tenant_id = any(${idList}) order by tenant_id, created_at desc`.execute(db),
  ]);

  const period = new Map(p.rows.map((r) => [r.id, r]));
  const counts: Counts = new Map();
  for (const r of runs.rows) add(counts, r.tenant_id, 'runs', r.n);
  for (const r of sent.rows) { add(counts, r.tenant_id, 'sms', r.sms); add(counts, r.tenant_id, 'email', r.email); }
  for (const r of invoices.rows) add(counts, r.tenant_id, 'invoiceCents', Number(r.cents));
  for (const r of jobs.rows) add(counts, r.tenant_id, 'jobs', r.n);
  for (const r of approvals.rows) add(counts, r.tenant_id, 'approvals', r.n);
  for (const r of signals.rows) add(counts, r.tenant_id, 'signals', r.n);
  const ledgerBy = new Map<string, typeof ledger.rows>();
  for (const r of ledger.rows) (ledgerBy.get(r.tenant_id) ?? ledgerBy.set(r.tenant_id, []).get(r.tenant_id)!).push(r);
  const answersBy = new Map(audits.rows.map((r) => [r.tenant_id, r.answers ?? {}]));
  const connBy = new Map<string, AgencyConnection[]>();
  for (const c of connections) {
    (connBy.get(c.tenant_id) ?? connBy.set(c.tenant_id, []).get(c.tenant_id)!).push({
      id: c.id, kind: c.kind, name: c.name, status: c.status, ok: c.status === 'ok', lastError: c.last_error, lastSyncAt: c.last_sync_at ? c.last_sync_at.toISOString() : null,
    });
  }

  return members.map((m) => {
    const c = counts.get(m.tenantId) ?? {};
    const info = o.tenant(m.tenantId);
    const pr = period.get(m.tenantId);
    const settings = info ? roiSettingsFrom(info, answersBy.get(m.tenantId) ?? {}) : null;
    const rate = new Map((settings?.minutes ?? []).map((x) => [x.category, x.minutes]));
    let minutes = 0;
    let aiMicros = 0;
    for (const r of ledgerBy.get(m.tenantId) ?? []) {
      aiMicros += Number(r.ai);
      if (r.category.startsWith('ai.')) continue;
      const perAction = rate.get(r.category);
      minutes += perAction !== undefined ? r.n * perAction : Number(r.minutes);
    }
    const hours = minutes / 60;
    const aiCents = aiMicros / 10_000;
    const jobCents = settings ? Math.round(settings.averageJobValue.value * 100) : 0;
    const moneyCents = (c.invoiceCents ?? 0) + (c.jobs ?? 0) * jobCents;
    const days = pr ? Math.max(0, o.now.getTime() - new Date(pr.month_since).getTime()) / DAY_MS : 0;
    const runningCents = settings ? (settings.runningCostCentsPerMonth.value / DAYS_PER_MONTH) * days : 0;
    const valueCents = Math.round(hours * (settings?.hourlyValue.value ?? 0) * 100 + moneyCents);
    const costCents = runningCents + aiCents;
    const conns = connBy.get(m.tenantId) ?? [];
    const imapOk = conns.some((x) => x.kind === 'imap' && x.ok);
    return {
      tenantId: m.tenantId, slug: m.slug, name: m.name, role: m.role, timeZone: pr?.time_zone ?? info?.timeZone ?? 'UTC', currency: pr?.currency ?? info?.currency ?? 'CAD',
      runsThisWeek: c.runs ?? 0, textsSentThisWeek: c.sms ?? 0, emailsSentThisWeek: c.email ?? 0,
      aiCostCentsThisMonth: Math.round(aiCents * 100) / 100,
      hoursSavedThisMonth: Math.round(hours * 100) / 100,
      moneyRecoveredCentsThisMonth: moneyCents,
      roiThisMonth: settings && costCents > 0 ? Math.round((valueCents / costCents) * 100) / 100 : null,
      valueCentsThisMonth: valueCents, costCentsThisMonth: Math.round(costCents),
      connections: conns, connectionsFailing: conns.filter((x) => !x.ok && x.status !== 'disabled').length,
      phoneConfigured: o.twilioConfigured && !!(info?.phone),
      mailConfigured: imapOk || o.smtpConfigured,
      approvalsWaiting: c.approvals ?? 0, signalsOpen: c.signals ?? 0,
    };
  });
}
