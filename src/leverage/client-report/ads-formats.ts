import { parse } from 'csv-parse/sync';
import { InputError } from '../../core/errors.js';
import { addDays, mondayOf } from './iso-week.js';

/** The ad platforms whose CSV exports AIOS reads. */
export type AdPlatform = 'google_ads' | 'meta_ads';

/** One campaign's figures over one day or one Monday-to-Sunday week, as read from an export. */
export interface AdRow {
  /** Line of the file the row ends on (1-based, title lines counted). */
  line: number;
  campaign: string;
  /** Local dates YYYY-MM-DD, inclusive. */
  starts: string;
  ends: string;
  impressions: number;
  clicks: number;
  /** Cost in cents of `currency`. */
  costCents: number;
  /** Google "Conversions", Meta "Results" (2 decimals). */
  conversions: number;
  /** Meta "Result indicator" (what a result is, e.g. `actions:lead`); null for Google. */
  resultIndicator: string | null;
  /** ISO 4217, upper case. */
  currency: string;
}

/** An export read: its platform, its campaign rows, and how many totals rows were left out. */
export interface ParsedAds {
  platform: AdPlatform;
  rows: AdRow[];
  totalsSkipped: number;
}

/** One problem of a file: line (1-based), column and what is wrong. */
export interface AdsProblem {
  line: number;
  column: string;
  problem: string;
}

/** Most problems one error lists. */
export const MAX_LISTED_PROBLEMS = 10;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Bytes as text: UTF-16 LE with its BOM (Google's "CSV for Excel"), else UTF-8 (BOM dropped). */
export function decodeExport(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `2026-11-23`, `Nov 23, 2026` or `November 23, 2026` → `2026-11-23`; null when not a date. */
export function parseExportDate(raw: string): string | null {
  const s = raw.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const words = /^([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})$/.exec(s);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (words) {
    const i = MONTHS.findIndex((n) => n.startsWith(words[1]!.toLowerCase()) && words[1]!.length >= 3);
    if (i < 0) return null;
    [y, m, d] = [Number(words[3]), i + 1, Number(words[2])];
  } else return null;
  const at = new Date(Date.UTC(y, m - 1, d));
  if (at.getUTCFullYear() !== y || at.getUTCMonth() !== m - 1 || at.getUTCDate() !== d) return null;
  return at.toISOString().slice(0, 10);
}

/** A count or amount as exports write it: `1,234`, `1234.5`; `--` and empty are 0. Null when not a number. */
export function parseExportNumber(raw: string): number | null {
  const s = raw.trim().replace(/^[$€£]/, '');
  if (s === '' || s === '--' || s === '-') return 0;
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(s)) return null;
  return Number(s.replace(/,/g, ''));
}

interface Columns {
  platform: AdPlatform;
  campaign: number;
  day: number;
  week: number;
  starts: number;
  ends: number;
  impressions: number;
  clicks: number;
  cost: number;
  conversions: number;
  indicator: number;
  currency: number;
  /** Meta: the currency in the header "Amount spent (USD)". */
  headerCurrency: string | null;
}

/** Which platform a header row is, and where its columns are; null when it is neither. */
function columnsOf(header: string[]): Columns | null {
  const h = header.map((x) => x.trim().toLowerCase());
  const at = (...names: string[]) => h.findIndex((x) => names.includes(x));
  const spent = h.findIndex((x) => /^amount spent \([a-z]{3}\)$/.test(x));
  if (at('campaign name') >= 0 && spent >= 0) {
    return {
      platform: 'meta_ads', campaign: at('campaign name'), day: at('day'), week: -1, starts: at('reporting starts'), ends: at('reporting ends'),
      impressions: at('impressions'), clicks: at('link clicks'), cost: spent, conversions: at('results'), indicator: at('result indicator'), currency: -1,
      headerCurrency: /\(([a-z]{3})\)/.exec(h[spent]!)![1]!.toUpperCase(),
    };
  }
  if (at('campaign') >= 0 && at('cost') >= 0 && at('impressions', 'impr.') >= 0) {
    return {
      platform: 'google_ads', campaign: at('campaign'), day: at('day'), week: at('week'), starts: -1, ends: -1,
      impressions: at('impressions', 'impr.'), clicks: at('clicks'), cost: at('cost'), conversions: at('conversions'), indicator: -1, currency: at('currency code', 'currency'),
      headerCurrency: null,
    };
  }
  return null;
}

/** Google's second title line: `November 23, 2026 - November 29, 2026`. */
function titleRange(lines: string[][]): { starts: string; ends: string } | null {
  for (const l of lines) {
    const m = /^(.+?)\s+[-–]\s+(.+)$/.exec((l[0] ?? '').trim());
    const a = m && parseExportDate(m[1]!);
    const b = m && parseExportDate(m[2]!);
    if (a && b) return { starts: a, ends: b };
  }
  return null;
}

/** A row that sums others: Google `Total: …`, or a Meta row without a campaign name. */
function isTotals(cols: Columns, record: string[]): boolean {
  const first = (record[0] ?? '').trim();
  const name = (record[cols.campaign] ?? '').trim();
  return /^total\b/i.test(first) || /^total:/i.test(name) || (cols.platform === 'meta_ads' && name === '');
}

/**
 * Reads a Google Ads report download (title and date-range lines before the header; `Campaign`,
 * `Day` or `Week` or neither, `Currency code`, `Impressions`, `Clicks`, `Cost`, `Conversions`;
 * `Total: …` rows) or a Meta Ads Manager export (`Campaign name`, `Reporting starts`/`ends`, an
 * optional `Day`, `Amount spent (XXX)`, `Impressions`, `Link clicks`, `Results`, `Result
 * indicator`; the summary row without a campaign name). UTF-8 (BOM or not) or UTF-16 LE, comma or
 * tab separated. Totals rows are left out, so nothing is counted twice. Every row's period must
 * be a day or lie inside one Monday-to-Sunday week (the weekly report's unit).
 * @throws InputError naming the line and column of each problem (at most {@link MAX_LISTED_PROBLEMS}) and what to do.
 */
export function parseAdsExport(bytes: Uint8Array, fallbackCurrency: string): ParsedAds {
  const text = decodeExport(bytes);
  const firstLines = text.split(/\r?\n/, 8);
  const headerAt = firstLines.findIndex((l) => /campaign/i.test(l) && /impr/i.test(l));
  if (headerAt < 0) {
    throw new InputError('this file is neither a Google Ads nor a Meta Ads export: no header with "Campaign" and "Impressions" in its first 8 lines', {
      code: 'ads_format_unknown',
      fix: 'Export the campaign report again: Google Ads → Campaigns → Download → CSV (with the columns Campaign, Day, Currency code, Impressions, Clicks, Cost, Conversions), or Meta Ads Manager → Export table data → CSV.',
    });
  }
  const delimiter = firstLines[headerAt]!.includes('\t') ? '\t' : ',';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true, relax_quotes: false }) as unknown as typeof records;
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    throw new InputError(`line ${e.lines ?? '?'}: the file is not valid CSV (${e.message ?? String(err)})`, { code: 'ads_bad_csv', fix: 'Export the report again without editing it in a spreadsheet, or fix the quotes on that line.' });
  }
  const headerIndex = records.findIndex((r) => columnsOf(r.record) !== null);
  const cols = headerIndex >= 0 ? columnsOf(records[headerIndex]!.record) : null;
  if (!cols) {
    throw new InputError('the header names Campaign and Impressions but not the columns AIOS needs', {
      code: 'ads_format_unknown',
      fix: 'Google Ads: include Campaign, Impressions, Clicks, Cost (and Conversions, Currency code, Day). Meta: include Campaign name, Reporting starts, Reporting ends, Impressions, Link clicks, Results, Amount spent.',
    });
  }
  const header = records[headerIndex]!.record.map((x) => x.trim());
  const range = titleRange(records.slice(0, headerIndex).map((r) => r.record));
  const problems: AdsProblem[] = [];
  const rows: AdRow[] = [];
  let totalsSkipped = 0;
  for (const { record, info } of records.slice(headerIndex + 1)) {
    const line = info.lines;
    if (record.every((c) => c.trim() === '')) continue;
    if (isTotals(cols, record)) { totalsSkipped++; continue; }
    const cell = (i: number) => (i >= 0 ? (record[i] ?? '').trim() : '');
    const fail = (i: number, problem: string) => problems.push({ line, column: i >= 0 ? header[i]! : '(missing column)', problem });
    const num = (i: number, what: string, integer: boolean) => {
      if (i < 0) return 0;
      const v = parseExportNumber(cell(i));
      if (v === null || (integer && !Number.isInteger(v))) { fail(i, `"${cell(i)}" is not ${integer ? 'a whole number' : 'a number'} (${what})`); return 0; }
      return v;
    };
    let starts: string | null = null;
    let ends: string | null = null;
    const dayCol = cols.day >= 0 ? cols.day : cols.week;
    if (dayCol >= 0) {
      starts = parseExportDate(cell(dayCol));
      if (!starts) fail(dayCol, `"${cell(dayCol)}" is not a date (YYYY-MM-DD)`);
      else ends = cols.day >= 0 ? starts : addDays(starts, 6);
      if (cols.week >= 0 && cols.day < 0 && starts && mondayOf(starts) !== starts) { fail(dayCol, `week ${starts} does not start on a Monday`); starts = null; }
    } else if (cols.starts >= 0 && cols.ends >= 0) {
      starts = parseExportDate(cell(cols.starts));
      ends = parseExportDate(cell(cols.ends));
      if (!starts) fail(cols.starts, `"${cell(cols.starts)}" is not a date (YYYY-MM-DD)`);
      if (!ends) fail(cols.ends, `"${cell(cols.ends)}" is not a date (YYYY-MM-DD)`);
    } else if (range) ({ starts, ends } = range);
    else fail(-1, 'no Day or Week column and no date range above the header: AIOS cannot tell which week the figures are for');
    if (starts && ends && (ends < starts || mondayOf(starts) !== mondayOf(ends))) {
      fail(dayCol >= 0 ? dayCol : cols.starts, `the period ${starts} to ${ends} is longer than one Monday-to-Sunday week; export with the breakdown by day (Google: segment Time → Day; Meta: Breakdown → By time → Day)`);
      starts = null;
    }
    const campaign = cell(cols.campaign);
    if (!campaign) fail(cols.campaign, 'no campaign name');
    const currency = (cols.headerCurrency ?? (cell(cols.currency) || fallbackCurrency)).toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) fail(cols.currency, `"${currency}" is not a currency code (e.g. USD)`);
    const cost = num(cols.cost, 'cost', false);
    const row: AdRow = {
      line, campaign: campaign.slice(0, 200), starts: starts ?? '', ends: ends ?? '',
      impressions: num(cols.impressions, 'impressions', true), clicks: num(cols.clicks, 'clicks', true),
      costCents: Math.round(cost * 100), conversions: Math.round(num(cols.conversions, 'conversions', false) * 100) / 100,
      resultIndicator: cols.indicator >= 0 ? cell(cols.indicator) || null : null, currency,
    };
    if (starts && campaign) rows.push(row);
  }
  if (problems.length) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `line ${p.line}, column "${p.column}": ${p.problem}`);
    const more = problems.length > MAX_LISTED_PROBLEMS ? `; and ${problems.length - MAX_LISTED_PROBLEMS} more` : '';
    throw Object.assign(new InputError(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the ${cols.platform === 'google_ads' ? 'Google Ads' : 'Meta Ads'} export, nothing was imported: ${listed.join('; ')}${more}`, {
      code: 'ads_bad_rows',
      fix: 'Fix those cells (or export the report again unedited) and import the whole file again; re-importing never counts a row twice.',
    }), { problems });
  }
  if (rows.length === 0) throw new InputError('the export has a header but no campaign rows', { code: 'ads_empty', fix: 'Choose a date range with activity and export again.' });
  return { platform: cols.platform, rows, totalsSkipped };
}
