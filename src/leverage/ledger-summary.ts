import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { TenantInfo } from '../records/tenants.js';
import { ledgerPeriod, weekOf } from './ledger-weeks.js';
import { moneyRecovered, type RecoveredWeek } from './money-recovered.js';
import { roiSettings, type FigureBasis, type RoiSettings } from './roi-settings.js';
import { SPEED_TO_LEAD_CATEGORIES, ownSpeedByWeek, speedToLead, type SpeedSample } from './speed-to-lead.js';

/** Longest summary asked for, weeks (about two years). */
export const LEDGER_SUMMARY_MAX_WEEKS = 104;
/** Days per month used to spread the monthly running cost over days (365.25 / 12). */
export const DAYS_PER_MONTH = 30.44;
const DAY_MS = 86_400_000;

/** A figure with its provenance: `measured` from history, `answered` by the owner, or `assumed` (a stated default). */
export interface Figure {
  value: number;
  basis: FigureBasis;
  /** How it was reached, in words. */
  source: string;
}

/** One ledger category over the period. */
export interface CategoryLine {
  category: string;
  /** Ledger entries (one per action). */
  actions: number;
  /** Minutes per action used; null for a category without a rate (its entries' own minutes are counted). */
  minutesPerAction: number | null;
  minutesBasis: FigureBasis;
  minutesSource: string;
  /** Hours saved by these actions. */
  hoursSaved: number;
}

/** One local week (Monday to Sunday in the business's time zone; the current one up to `now`). */
export interface LedgerSummaryWeek {
  /** The local Monday, `YYYY-MM-DD`. */
  week: string;
  since: string;
  until: string;
  actions: number;
  hoursSaved: number;
  /** First-reply medians, ms: the business's own (customers whose first message came that week) and AIOS's. */
  responseP50Ms: { before: number | null; after: number | null };
  /** Invoices paid after a reminder (cents) + jobs booked from missed calls and leads × average job value (cents). */
  recoveredCents: number;
  invoicesPaid: number;
  invoiceCents: number;
  jobsBooked: number;
  jobCents: number;
  /** Model cost (cents, from the ledger's micro-dollars) + the running cost of the week's days (cents). */
  aiCostCents: number;
  runningCostCents: number;
  costCents: number;
  /** Hours saved × hourly value + recovered, cents. */
  valueCents: number;
}

/** What AIOS was worth for a business over `weeks` weeks, in totals and per week. */
export interface LedgerSummary {
  period: { since: string; until: string; weeks: number; days: number; timeZone: string; currency: string };
  totals: {
    actions: number;
    hoursSaved: Figure;
    money: {
      invoices: { count: number; cents: number; basis: 'measured'; source: string };
      jobs: { count: number; cents: number; averageJobValueCents: number; basis: FigureBasis; source: string };
      totalCents: Figure;
    };
    valueCents: Figure;
    aiCostCents: Figure;
    runningCostCents: Figure;
    costCents: Figure;
    /** value ÷ (running cost + AI cost) for the period; null with `reason` when the cost is 0. */
    roi: { value: number | null; basis: FigureBasis; source: string; reason: string | null };
    /** First-reply medians (ms): the business's own over all its history, AIOS's over all its runs. */
    speedToLead: { before: SpeedSample & { basis: 'measured' }; after: SpeedSample & { basis: 'measured' } };
  };
  byCategory: CategoryLine[];
  settings: RoiSettings;
  weekly: LedgerSummaryWeek[];
}

/** The weakest provenance of several: assumed < answered < measured. */
function weakest(...b: FigureBasis[]): FigureBasis {
  return b.includes('assumed') ? 'assumed' : b.includes('answered') ? 'answered' : 'measured';
}
const r2 = (x: number) => Math.round(x * 100) / 100;

interface LedgerRow { week: string | null; category: string | null; n: number; minutes: string; ai: string; p50: number | null; nr: number }

/**
 * The ledger summary of one business: hours saved (ledger entries × minutes per action of their
 * category), money recovered (invoices paid after a reminder; jobs booked from missed calls and
 * leads × average job value), AI cost (ledger `ai_cost_micros`, as cents of the business's
 * currency), running cost (per month, spread over the period's days), value (hours × hourly value
 * + money recovered) and ROI = value ÷ cost, with weekly series. Every figure says whether it was
 * measured, set by the owner or assumed. Reads only `tenant.id`'s rows.
 * @param opts.weeks local weeks ending with the current one (1..{@link LEDGER_SUMMARY_MAX_WEEKS}).
 * @param opts.now the instant the current week ends at.
 */
export async function ledgerSummary(db: Db, tenant: TenantInfo, opts: { weeks: number; now: Date }): Promise<LedgerSummary> {
  const weeks = Math.max(1, Math.min(LEDGER_SUMMARY_MAX_WEEKS, Math.floor(opts.weeks)));
  const tz = tenant.timeZone;
  const period = await ledgerPeriod(db, tz, weeks, opts.now);
  const speedCats = sql.join([...SPEED_TO_LEAD_CATEGORIES]);
  const [settings, ledgerRows, recovered, ownWeekly, speed] = await Promise.all([
    roiSettings(db, tenant),
    sql<LedgerRow>`
      select week, category, count(*)::int as n, coalesce(sum(minutes_saved), 0) as minutes, coalesce(sum(ai_cost_micros), 0) as ai,
             percentile_cont(0.5) within group (order by response_ms) filter (where category in (${speedCats}) and response_ms is not null) as p50,
             count(response_ms) filter (where category in (${speedCats}))::int as nr
      from (select ${weekOf(sql`created_at`, tz)} as week, category, minutes_saved, ai_cost_micros, response_ms
            from ledger where tenant_id = ${tenant.id} and created_at >= ${period.since} and created_at < ${period.until}) l
      group by grouping sets ((week, category), (week))`.execute(db),
    moneyRecovered(db, tenant.id, period),
    ownSpeedByWeek(db, tenant.id, period.since, period.until, tz),
    speedToLead(db, tenant.id),
  ]);

  const rate = new Map(settings.minutes.map((m) => [m.category, m]));
  const hourlyCents = settings.hourlyValue.value * 100;
  const jobCents = Math.round(settings.averageJobValue.value * 100);
  const runningPerDay = settings.runningCostCentsPerMonth.value / DAYS_PER_MONTH;
  const isAction = (category: string) => !category.startsWith('ai.');

  const cats = new Map<string, CategoryLine>();
  const perWeek = new Map<string, { actions: number; minutes: number; ai: number; p50: number | null }>();
  for (const r of ledgerRows.rows) {
    const week = r.week!;
    const w = perWeek.get(week) ?? perWeek.set(week, { actions: 0, minutes: 0, ai: 0, p50: null }).get(week)!;
    if (r.category === null) {
      w.p50 = r.nr > 0 && r.p50 !== null ? Math.round(Number(r.p50)) : null;
      continue;
    }
    const m = rate.get(r.category);
    const minutes = m ? r.n * m.minutes : Number(r.minutes);
    w.ai += Number(r.ai);
    if (!isAction(r.category)) continue;
    w.actions += r.n;
    w.minutes += minutes;
    const line = cats.get(r.category) ?? cats.set(r.category, {
      category: r.category, actions: 0, minutesPerAction: m ? m.minutes : null, minutesBasis: m ? m.basis : 'measured',
      minutesSource: m ? m.source : 'the minutes each entry recorded', hoursSaved: 0,
    }).get(r.category)!;
    line.actions += r.n;
    line.hoursSaved += minutes / 60;
  }

  const none: RecoveredWeek = { invoicesPaid: 0, invoiceCents: 0, jobsBooked: 0 };
  const weekly: LedgerSummaryWeek[] = period.weeks.map((pw) => {
    const l = perWeek.get(pw.week) ?? { actions: 0, minutes: 0, ai: 0, p50: null };
    const m = recovered.get(pw.week) ?? none;
    const hoursSaved = l.minutes / 60;
    const jobs = m.jobsBooked * jobCents;
    const aiCostCents = l.ai / 10_000;
    const runningCostCents = (runningPerDay * (pw.until.getTime() - pw.since.getTime())) / DAY_MS;
    const recoveredCents = m.invoiceCents + jobs;
    return {
      week: pw.week, since: pw.since.toISOString(), until: pw.until.toISOString(), actions: l.actions, hoursSaved: r2(hoursSaved),
      responseP50Ms: { before: ownWeekly.get(pw.week)?.p50Ms ?? null, after: l.p50 },
      recoveredCents, invoicesPaid: m.invoicesPaid, invoiceCents: m.invoiceCents, jobsBooked: m.jobsBooked, jobCents: jobs,
      aiCostCents: r2(aiCostCents), runningCostCents: Math.round(runningCostCents), costCents: Math.round(runningCostCents + aiCostCents),
      valueCents: Math.round(hoursSaved * hourlyCents + recoveredCents),
    };
  });

  const sum = (f: (w: LedgerSummaryWeek) => number) => weekly.reduce((n, w) => n + f(w), 0);
  const actions = sum((w) => w.actions);
  const minutes = [...perWeek.values()].reduce((n, w) => n + w.minutes, 0);
  const hours = minutes / 60;
  const aiCents = [...perWeek.values()].reduce((n, w) => n + w.ai, 0) / 10_000;
  const days = (period.until.getTime() - period.since.getTime()) / DAY_MS;
  const runningCents = runningPerDay * days;
  const invoices = { count: sum((w) => w.invoicesPaid), cents: sum((w) => w.invoiceCents) };
  const jobsCount = sum((w) => w.jobsBooked);
  const usedRates = [...cats.values()].map((c) => c.minutesBasis);
  const hoursBasis = weakest('measured', ...usedRates);
  const jobsBasis = jobsCount > 0 ? weakest('measured', settings.averageJobValue.basis) : 'measured';
  const moneyCents = invoices.cents + jobsCount * jobCents;
  const moneyBasis = weakest('measured', jobsBasis);
  const valueCents = Math.round(hours * hourlyCents + moneyCents);
  const valueBasis = hours > 0 ? weakest(hoursBasis, settings.hourlyValue.basis, moneyBasis) : moneyBasis;
  const costCents = runningCents + aiCents;
  const costBasis = weakest('measured', settings.runningCostCentsPerMonth.basis);
  const money = (c: number) => (c / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  return {
    period: { since: period.since.toISOString(), until: period.until.toISOString(), weeks, days: r2(days), timeZone: tz, currency: tenant.currency },
    totals: {
      actions,
      hoursSaved: { value: r2(hours), basis: hoursBasis, source: `${actions} actions counted in the ledger × minutes per action (${hoursBasis === 'assumed' ? 'defaults from the audit, some assumed' : 'as set by the owner'})` },
      money: {
        invoices: { count: invoices.count, cents: invoices.cents, basis: 'measured', source: 'invoices paid after AIOS sent a reminder (amount paid, at most what was owed when the chase began)' },
        jobs: { count: jobsCount, cents: jobsCount * jobCents, averageJobValueCents: jobCents, basis: jobsBasis, source: `jobs booked from missed calls, web forms and the chat widget × average job value ${money(jobCents)} (${settings.averageJobValue.source})` },
        totalCents: { value: moneyCents, basis: moneyBasis, source: 'invoices paid after a reminder + jobs booked from missed calls and leads × average job value' },
      },
      valueCents: { value: valueCents, basis: valueBasis, source: `${r2(hours)} h × ${settings.hourlyValue.value} an hour (${settings.hourlyValue.source}) + ${money(moneyCents)} recovered` },
      aiCostCents: { value: r2(aiCents), basis: 'measured', source: 'model calls recorded in the ledger (micro-dollars, counted as cents of the business\'s currency)' },
      runningCostCents: { value: Math.round(runningCents), basis: settings.runningCostCentsPerMonth.basis, source: `${money(settings.runningCostCentsPerMonth.value)} a month (${settings.runningCostCentsPerMonth.source}) × ${r2(days)} days ÷ ${DAYS_PER_MONTH}` },
      costCents: { value: Math.round(costCents), basis: costBasis, source: 'running cost + AI cost' },
      roi: costCents > 0
        ? { value: r2(valueCents / costCents), basis: weakest(valueBasis, costBasis), source: `value ${money(valueCents)} ÷ cost ${money(costCents)}`, reason: null }
        : { value: null, basis: costBasis, source: 'value ÷ cost', reason: 'the cost of the period is 0 (no running cost set and no model calls): ROI is not a number; set roi.running_cost_cents_per_month' },
      speedToLead: { before: { ...speed.before, basis: 'measured' }, after: { ...speed.after, basis: 'measured' } },
    },
    byCategory: [...cats.values()].map((c) => ({ ...c, hoursSaved: r2(c.hoursSaved) })).sort((a, b) => b.hoursSaved - a.hoursSaved || a.category.localeCompare(b.category)),
    settings,
    weekly,
  };
}
