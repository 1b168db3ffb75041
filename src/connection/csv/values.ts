/**
 * Cell parsers for CSV imports. Each returns the value or `{ problem }` in plain words; empty
 * cells are `null` (the caller decides whether the field is required).
 */
import { FALLBACK_COUNTRY, normalisePhone } from '../../core/phone.js';

export type Parsed<T> = T | null | { problem: string };

export function isProblem(v: unknown): v is { problem: string } {
  return typeof v === 'object' && v !== null && 'problem' in v;
}

/**
 * A phone number in E.164, read as {@link normalisePhone} reads it everywhere in AIOS: numbers
 * without "+" in the business's country ("(416) 555-0100", "416.555.0100", "1-416-555-0100" in
 * CA/US); others with "+" or "00" and the country code. Extensions ("x12", "ext. 12") are dropped.
 * @param country ISO 3166-1 alpha-2 code of the business's country.
 */
export function normalizePhone(raw: string, country: string = FALLBACK_COUNTRY): Parsed<string> {
  if (!raw.trim()) return null;
  return normalisePhone(raw, country) ?? { problem: `"${raw}" is not a phone number of ${country}; write other numbers with + and the country code` };
}

/** An email address, lower-cased. */
export function parseEmail(raw: string): Parsed<string> {
  const s = raw.trim().toLowerCase();
  if (!s) return null;
  return /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/.test(s) ? s : { problem: `"${raw}" is not an email address` };
}

/**
 * An amount of money to integer cents: "$1,234.56", "1234.5", "(12.00)" (negative), "CA$ 10",
 * "-5". More than two decimals is refused rather than rounded.
 */
export function parseMoneyCents(raw: string): Parsed<number> {
  let s = raw.trim();
  if (!s) return null;
  let neg = false;
  if (/^\(.*\)$/.test(s)) {
    neg = true;
    s = s.slice(1, -1);
  }
  s = s.replace(/[A-Za-z$€£¥\s]/g, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (s.startsWith('-')) {
    neg = !neg;
    s = s.slice(1);
  }
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return { problem: `"${raw}" is not an amount` };
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) return { problem: `"${raw}" is too large` };
  return neg ? -cents : cents;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function ymd(y: number, m: number, d: number, raw: string): Parsed<Date> {
  if (y < 100) y += 2000;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || dt.getUTCDate() !== d) return { problem: `"${raw}" is not a real date` };
  return dt;
}

/**
 * A calendar date (UTC midnight): ISO "2024-03-15" (time ignored), "15 Mar 2024", "Mar 15, 2024",
 * or slashed "03/15/2024" read as month/day (`order: 'mdy'`, QuickBooks US) or day/month
 * (`order: 'dmy'`, Xero) — a part over 12 settles the order either way.
 */
export function parseDate(raw: string, order: 'mdy' | 'dmy' = 'mdy'): Parsed<Date> {
  const s = raw.trim();
  if (!s) return null;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]), raw);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    let dayFirst = order === 'dmy';
    if (dayFirst && b > 12 && a <= 12) dayFirst = false;
    else if (!dayFirst && a > 12 && b <= 12) dayFirst = true;
    return dayFirst ? ymd(Number(m[3]), b, a, raw) : ymd(Number(m[3]), a, b, raw);
  }
  m = /^(\d{1,2})[ -]([A-Za-z]{3,})\.?[ -,]+(\d{4})$/.exec(s);
  if (m && MONTHS.includes(m[2]!.slice(0, 3).toLowerCase())) return ymd(Number(m[3]), MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1, Number(m[1]), raw);
  m = /^([A-Za-z]{3,})\.? (\d{1,2}),? (\d{4})$/.exec(s);
  if (m && MONTHS.includes(m[1]!.slice(0, 3).toLowerCase())) return ymd(Number(m[3]), MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1, Number(m[2]), raw);
  return { problem: `"${raw}" is not a date (use YYYY-MM-DD)` };
}
