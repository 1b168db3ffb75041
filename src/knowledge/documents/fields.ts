import { documentType } from './document-types.js';
import type { FieldName, FieldValue } from './types.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const NOT_NAME = /\b(date|birth|name|gender|information|address|number|statement|period|account|social|security|employer|street|license|class|shop|paid|costs|seller|lender|borrower|total|loan)\b/i;
const DATE_FIELDS = new Set<FieldName>(['documentDate', 'expiryDate', 'periodStart', 'periodEnd']);
const MONEY_FIELDS = new Set<FieldName>(['income', 'loanAmount', 'salePrice']);
const NAME_FIELDS = new Set<FieldName>(['name', 'coName', 'lender', 'employer']);

/**
 * `7/25/2008`, `25/07/2008` (day first when the first number is over 12), `2008-07-25`,
 * `31 MAY 2021`, `May 31, 2021` → `YYYY-MM-DD`; a lone year → `YYYY-12-31`; null when invalid.
 */
export function normaliseDate(raw: string): string | null {
  const s = raw.trim();
  let y: number, m: number, d: number;
  let hit: RegExpExecArray | null;
  if ((hit = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) [y, m, d] = [+hit[1]!, +hit[2]!, +hit[3]!];
  else if ((hit = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(s))) {
    const a = +hit[1]!, b = +hit[2]!;
    [y, m, d] = a > 12 ? [+hit[3]!, b, a] : [+hit[3]!, a, b];
  } else if ((hit = /^(\d{1,2}) ([A-Za-z]{3,9}),? (\d{4})$/.exec(s))) [y, m, d] = [+hit[3]!, MONTHS.indexOf(hit[2]!.slice(0, 3).toLowerCase()) + 1, +hit[1]!];
  else if ((hit = /^([A-Za-z]{3,9}) (\d{1,2}),? (\d{4})$/.exec(s))) [y, m, d] = [+hit[3]!, MONTHS.indexOf(hit[1]!.slice(0, 3).toLowerCase()) + 1, +hit[2]!];
  else if ((hit = /^(\d{4})$/.exec(s))) [y, m, d] = [+hit[1]!, 12, 31];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || date.getUTCDate() !== d || y < 1900 || y > 2200) return null;
  return date.toISOString().slice(0, 10);
}

/** `$162,000` / `452.43` → cents as a decimal string (`16200000`); null when not a number. */
export function normaliseMoney(raw: string): string | null {
  const s = raw.replace(/[$,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ''] = s.split('.');
  return String(BigInt(whole!) * 100n + BigInt((frac + '00').slice(0, 2)));
}

/** `JOHN STILES` → `John Stiles`; trailing punctuation trimmed; null for label text. */
export function normaliseName(raw: string): string | null {
  const s = raw.replace(/\s+/g, ' ').replace(/[.,;:]+$/, '').trim();
  if (s.length < 3 || NOT_NAME.test(s)) return null;
  return s.split(' ').map((w) => (w === w.toUpperCase() && w.length > 1 ? w[0] + w.slice(1).toLowerCase() : w)).join(' ');
}

function normalise(field: FieldName, raw: string): string | null {
  if (DATE_FIELDS.has(field)) return normaliseDate(raw);
  if (MONEY_FIELDS.has(field)) return normaliseMoney(raw);
  if (field === 'interestRate') return /^\d+(\.\d+)?$/.test(raw) && +raw > 0 && +raw < 30 ? String(+raw) : null;
  if (NAME_FIELDS.has(field)) return normaliseName(raw);
  const s = raw.replace(/\s+/g, ' ').trim();
  return s.length >= 3 ? s : null;
}

/** Text of one page with its number, as the extractor sees it. */
export interface PageText {
  page: number;
  text: string;
}

/**
 * Key fields of a document of type `typeId`, each with the page and text it was read from. Each
 * field's patterns are tried page by page in order; the first valid value wins. Multi-group
 * patterns (address lines) are joined with `, `.
 */
export function extractFields(typeId: string, pages: readonly PageText[]): Partial<Record<FieldName, FieldValue>> {
  const rule = documentType(typeId);
  const out: Partial<Record<FieldName, FieldValue>> = {};
  if (!rule) return out;
  for (const [field, patterns] of Object.entries(rule.fields) as Array<[FieldName, RegExp[]]>) {
    search: for (const pattern of patterns) {
      for (const { page, text } of pages) {
        const m = pattern.exec(text);
        if (!m) continue;
        const groups = m.slice(1).filter((g): g is string => g !== undefined);
        const raw = field === 'name' && typeId === 'government_id' ? groups.join(' ') : groups.map((g) => g.trim()).join(', ');
        const value = normalise(field, raw);
        if (value === null) continue;
        out[field] = { value, page, seen: m[0].replace(/\s+/g, ' ').trim().slice(0, 160) };
        break search;
      }
    }
  }
  return out;
}

/** Whether a value of `field` is money in cents (for display). */
export function isMoneyField(field: FieldName): boolean {
  return MONEY_FIELDS.has(field);
}
