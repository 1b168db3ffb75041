import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import { formatAmount } from '../../ai/templates/invoice-reminder.js';
import { ledgerSummary, type LedgerSummaryWeek } from '../ledger-summary.js';
import { hoursChartSvg, svgToPng } from './hours-chart.js';
import type { BriefContent, BriefLine } from './brief-content.js';

/** Weeks the chart shows (complete local weeks, Monday to Sunday, before the report's week). */
export const CHART_WEEKS = 8;

/** What the weekly report stores about each week (a subset of {@link LedgerSummaryWeek}). */
export type ReportWeek = Pick<LedgerSummaryWeek, 'week' | 'since' | 'until' | 'actions' | 'hoursSaved' | 'valueCents' | 'costCents' | 'recoveredCents' | 'responseP50Ms'>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `2026-11-23` → `Nov 23`. */
const dayLabel = (ymd: string) => `${MONTHS[Number(ymd.slice(5, 7)) - 1]} ${Number(ymd.slice(8, 10))}`;
const roiOf = (w: ReportWeek) => (w.costCents > 0 ? Math.round((w.valueCents / w.costCents) * 10) / 10 : null);
const speedWords = (ms: number | null) => (ms === null ? 'not measured' : ms < 90_000 ? `${Math.round(ms / 1000)} s` : ms < 5_400_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 360_000) / 10} h`);
const hoursWords = (h: number) => `${Math.round(h * 10) / 10} h`;

/**
 * The weekly report of one business: the ledger of last week (the latest complete local week,
 * Monday to Sunday) against the week before — hours saved, value, cost, ROI, AIOS's median first
 * reply — and hours saved for the last {@link CHART_WEEKS} weeks (the chart). Figures come from
 * `ledgerSummary` (src/leverage/ledger-summary.ts).
 * @param localDate the report's local date, YYYY-MM-DD.
 */
export async function composeWeeklyReport(db: Db, tenant: TenantInfo, now: Date, localDate: string): Promise<BriefContent> {
  const s = await ledgerSummary(db, tenant, { weeks: CHART_WEEKS + 1, now });
  // The last week of the summary is the one holding `now` (in progress): left out.
  const weeks: ReportWeek[] = s.weekly.slice(0, -1).slice(-CHART_WEEKS).map((w) => ({ week: w.week, since: w.since, until: w.until, actions: w.actions, hoursSaved: w.hoursSaved, valueCents: w.valueCents, costCents: w.costCents, recoveredCents: w.recoveredCents, responseP50Ms: w.responseP50Ms }));
  const last = weeks[weeks.length - 1]!;
  const before = weeks[weeks.length - 2]!;
  const money = (c: number) => formatAmount(Math.round(c), tenant.currency, tenant.locale);
  const roi = (w: ReportWeek) => { const r = roiOf(w); return r === null ? 'not a number (no cost)' : `${r}×`; };
  const line = (label: string, a: string, b: string): BriefLine => ({ text: `${label}: ${a} (week before: ${b})`, href: '/ledger', untrusted: false });
  return {
    kind: 'weekly', localDate,
    subject: `${tenant.name}: your week of ${dayLabel(last.week)}: ${hoursWords(last.hoursSaved)} saved`,
    parts: [{
      id: 'ledger', title: 'The ledger',
      summary: `Last week (from ${dayLabel(last.week)}) AIOS took ${last.actions} action${last.actions === 1 ? '' : 's'} and saved ${hoursWords(last.hoursSaved)} (week before: ${hoursWords(before.hoursSaved)}).`,
      lines: [
        line('Hours saved', hoursWords(last.hoursSaved), hoursWords(before.hoursSaved)),
        line('Value', money(last.valueCents), money(before.valueCents)),
        line('Cost', money(last.costCents), money(before.costCents)),
        line('ROI', roi(last), roi(before)),
        line('First reply (median)', speedWords(last.responseP50Ms.after), speedWords(before.responseP50Ms.after)),
      ],
    }],
    figures: { weeks, totals: { roi: s.totals.roi, hoursSaved: s.totals.hoursSaved }, currency: tenant.currency },
  };
}

/** The chart of a stored weekly report: hours saved per week as a PNG (through resvg), with its text alternative. */
export function weeklyChart(content: BriefContent): { png: Buffer; svg: string; alt: string } {
  const weeks = (content.figures.weeks ?? []) as ReportWeek[];
  const bars = weeks.map((w) => ({ label: dayLabel(w.week), hours: w.hoursSaved }));
  const svg = hoursChartSvg(bars, `Hours saved per week (last ${bars.length} weeks)`);
  return { png: svgToPng(svg), svg, alt: `Hours saved per week: ${bars.map((b) => `${b.label} ${hoursWords(b.hours)}`).join(', ')}` };
}
