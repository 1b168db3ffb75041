import type { ReadDocument } from '../../knowledge/documents/index.js';
import type { ChecklistItem } from './checklist.js';
import type { QcEvidence, QcException } from './exceptions.js';

const DAY_MS = 86_400_000;
const toDay = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const toIso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** A statement's period in days since 1970 (inclusive), where it was read and whether its start was assumed. */
interface Period {
  doc: ReadDocument;
  from: number;
  to: number;
  assumedStart: boolean;
}

/** First day of a monthly statement ending on `iso`: 31 May → 1 May; 15 Mar → 16 Feb. */
function monthlyStart(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (d === new Date(Date.UTC(y, m, 0)).getUTCDate()) return Date.UTC(y, m - 1, 1) / DAY_MS;
  return Date.UTC(y, m - 2, Math.min(d, new Date(Date.UTC(y, m - 1, 0)).getUTCDate())) / DAY_MS + 1;
}

function periodOf(doc: ReadDocument): Period | null {
  const end = doc.fields.periodEnd ?? doc.fields.documentDate;
  if (!end) return null;
  const start = doc.fields.periodStart;
  const to = toDay(end.value);
  if (start && toDay(start.value) <= to) return { doc, from: toDay(start.value), to, assumedStart: false };
  return { doc, from: monthlyStart(end.value), to, assumedStart: true };
}

/** Parts of [from, to] (days, inclusive) that no period covers, as inclusive ranges. */
export function uncovered(from: number, to: number, periods: ReadonlyArray<{ from: number; to: number }>): Array<[number, number]> {
  const gaps: Array<[number, number]> = [];
  let next = from;
  for (const p of [...periods].sort((a, b) => a.from - b.from)) {
    if (p.to < next) continue;
    if (p.from > next) gaps.push([next, Math.min(p.from - 1, to)]);
    next = Math.max(next, p.to + 1);
    if (next > to) break;
  }
  if (next <= to) gaps.push([next, to]);
  return gaps.filter(([a, b]) => a <= b);
}

/**
 * Whether the statements counted for `item` cover its `covers_days` before the package date
 * without a gap. Each statement covers its period (`Statement Period 1 MAY 2021 to 31 MAY 2021`);
 * one showing only its end or statement date is taken as a monthly statement ending then. The
 * newest may end up to `open_cycle_days` before the package date (the current cycle's statement is
 * not issued yet). Returns one `coverage_gap` exception naming every missing date range, with each
 * statement's period as evidence, or null when covered.
 */
export function coverageException(item: ChecklistItem, docs: readonly ReadDocument[], asOf: string): QcException | null {
  if (item.covers_days === undefined || docs.length === 0) return null;
  const periods = docs.map(periodOf).filter((p): p is Period => p !== null);
  const today = toDay(asOf);
  const start = today - item.covers_days;
  const newest = periods.length ? Math.max(...periods.map((p) => p.to)) : start - 1;
  const end = Math.min(today, Math.max(newest, today - item.open_cycle_days));
  const gaps = uncovered(start, end, periods);
  if (gaps.length === 0) return null;
  const ranges = gaps.map(([a, b]) => (a === b ? toIso(a) : `${toIso(a)} to ${toIso(b)}`));
  const covered = periods.length ? periods.sort((a, b) => a.from - b.from).map((p) => `${toIso(p.from)} to ${toIso(p.to)}${p.assumedStart ? ' (a month assumed: no period start shown)' : ''}`).join(', ') : 'no statement period found';
  const missingDays = gaps.reduce((n, [a, b]) => n + b - a + 1, 0);
  const byDate = [...docs].sort((a, b) => (periodOf(a)?.from ?? 0) - (periodOf(b)?.from ?? 0));
  const evidence: QcEvidence[] = byDate.map((d) => {
    const f = d.fields.periodStart ?? d.fields.periodEnd ?? d.fields.documentDate;
    return { file: d.file, page: f?.page ?? d.pages[0] ?? null, seen: f?.seen ?? d.text.replace(/\s+/g, ' ').slice(0, 160) };
  });
  return {
    key: `coverage_gap:${item.id}`, kind: 'coverage_gap', item: item.id, evidence,
    message: `${item.label}: ${missingDays} of the ${item.covers_days} days before ${asOf} not covered: ${ranges.join('; ')} (statements cover ${covered}); ask for the statements of those dates`,
  };
}
