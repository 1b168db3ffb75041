import type { FigureUnit, ReportContent, UncheckedNumber } from './report-content.js';
import { addDays } from './iso-week.js';

/** A number found in a summary, and whether a figure of the report matched it. */
export interface FoundNumber extends UncheckedNumber {
  /** The key of the figure it matched, or null. */
  matched: string | null;
}

const WORDS: Record<string, number> = {
  zero: 0, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  thirty: 30, forty: 40, fifty: 50, hundred: 100, dozen: 12,
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Dates the summary may name: an ISO week, YYYY-MM-DD, or "Nov 23" / "November 23, 2026" / "Nov 23–29". */
const DATE_RE = /\b\d{4}-W\d{2}\b|\b\d{4}-\d{2}-\d{2}\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?(?:,\s*(\d{4}))?\b/gi;
/** A number with what is around it: currency before; %, ×, x, h, hours after. */
const NUMBER_RE = /(?<cur>[$€£]\s?|\b(?:USD|CAD|EUR|GBP|AUD)\s?)?(?<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?<suf>\s?(?:%|per ?cent\b|×|x(?![a-z])|times\b|h(?![a-z])|hours?\b|hrs?\b|(?:USD|CAD|EUR|GBP|AUD)\b|dollars?\b))?/gi;
const WORD_RE = new RegExp(`\\b(${Object.keys(WORDS).join('|')})\\b(?<suf>\\s(?:hours?|times|per ?cent|dollars?)\\b)?`, 'gi');

function unitOf(cur: string | undefined, suf: string | undefined, before: string): FigureUnit {
  const s = (suf ?? '').trim().toLowerCase();
  if (cur || /^(usd|cad|eur|gbp|aud|dollars?)$/.test(s)) return 'money';
  if (s === '%' || s.startsWith('per')) return 'percent';
  if (s === '×' || s === 'x' || s === 'times' || /\broi\b[^.\d]{0,12}$/i.test(before)) return 'ratio';
  if (s === 'h' || s.startsWith('hour') || s.startsWith('hr')) return 'hours';
  return 'count';
}

/** Half a unit of the last written digit: `3.5` → 0.05, `1354` → 0.5. */
export function tolerance(written: string): number {
  const dot = written.indexOf('.');
  const decimals = dot < 0 ? 0 : written.length - dot - 1;
  return 0.5 * 10 ** -decimals;
}

/**
 * Whether a figure rounds to a written number (half up): the figure lies in [written − half,
 * written + half) with {@link tolerance} as the half, plus a float epsilon. "3.5 h" matches
 * 3.45..3.549 h, "$113" matches $112.50..$113.49, "3 h" does not match 3.5 h; "1.3×" matches 1.26×,
 * "12×" does not.
 */
export function roundsTo(figure: number, written: string): boolean {
  const half = tolerance(written);
  const d = figure - Number(written);
  return d >= -half - 1e-9 && d < half - 1e-9;
}

/** The days of the report's week as (month index, day of month, year). */
function weekDays(c: ReportContent): Array<{ m: number; d: number; y: number; ymd: string }> {
  return Array.from({ length: 7 }, (_, i) => {
    const ymd = addDays(c.weekStart, i);
    return { m: Number(ymd.slice(5, 7)) - 1, d: Number(ymd.slice(8, 10)), y: Number(ymd.slice(0, 4)), ymd };
  });
}

/** Whether a date the summary names lies in the report's week (or is the week itself). */
function dateInWeek(text: string, m: RegExpExecArray, c: ReportContent): boolean {
  const days = weekDays(c);
  if (/^\d{4}-W\d{2}$/.test(text)) return text === c.week;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return days.some((d) => d.ymd === text);
  const month = MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase());
  const inWeek = (day: number) => days.some((d) => d.m === month && d.d === day && (!m[4] || d.y === Number(m[4])));
  return inWeek(Number(m[2])) && (!m[3] || days.some((d) => d.d === Number(m[3])));
}

/**
 * Finds every number of a summary — integers, decimals, `1,234`, money (`$1,354.00`, `USD 12`),
 * percents, ratios (`1.3×`, `ROI of 2`), hours (`3.5 h`, `40 hours`), the words two to twenty,
 * thirty, forty, fifty, hundred and dozen ("one" is left out: it is mostly a pronoun) — and
 * matches each against the report's figures of the same unit ({@link roundsTo}). Dates
 * ("Nov 23–29", `2026-W48`) are allowed only inside the report's week; a date outside it is an
 * unchecked number too. Returns all numbers found and the unchecked ones.
 */
export function checkSummary(summary: string, c: ReportContent): { numbers: FoundNumber[]; unchecked: UncheckedNumber[] } {
  const found: FoundNumber[] = [];
  const masked = summary.replace(DATE_RE, (text, ...rest) => {
    const index = rest[rest.length - 2] as number;
    const m = Object.assign([text, ...rest.slice(0, 4)], { index, input: summary }) as unknown as RegExpExecArray;
    if (!dateInWeek(text, m, c)) found.push({ text, value: Number(/\d+/.exec(text)![0]), unit: 'count', index, matched: null });
    return ' '.repeat(text.length);
  });
  const match = (_value: number, unit: FigureUnit, written: string): string | null => {
    const f = c.figures.find((x) => x.value !== null && x.unit === unit && roundsTo(x.value, written));
    return f?.key ?? null;
  };
  for (const m of masked.matchAll(NUMBER_RE)) {
    const g = m.groups!;
    const written = g.num!.replace(/,/g, '');
    const unit = unitOf(g.cur, g.suf, masked.slice(Math.max(0, m.index! - 16), m.index!));
    const value = Number(written);
    found.push({ text: m[0].trim(), value, unit, index: m.index!, matched: match(value, unit, written) });
  }
  for (const m of masked.matchAll(WORD_RE)) {
    const value = WORDS[m[1]!.toLowerCase()]!;
    const unit = unitOf(undefined, m.groups?.suf, masked.slice(Math.max(0, m.index! - 16), m.index!));
    found.push({ text: m[0].trim(), value, unit, index: m.index!, matched: match(value, unit, String(value)) });
  }
  found.sort((a, b) => a.index - b.index);
  return { numbers: found, unchecked: found.filter((n) => n.matched === null).map(({ matched: _m, ...n }) => n) };
}
