import { parse as parseCsv } from 'csv-parse/sync';
import { IngestError, isRealDate } from './front-matter.js';
import { formatCents, parsePriceCell } from './money.js';
import type { FactType } from './types.js';

/** A fact before it is stored (no id, no file). */
export interface FactDraft {
  type: FactType;
  key: string;
  value: string;
  service?: string | null;
  amountCents?: number | null;
  currency?: string | null;
  unit?: string | null;
  /** `YYYY-MM-DD`; overrides the document's valid_until for this fact. */
  validUntil?: string | null;
}

const SERVICE_COL = /^(service|services|item|job|work|name|description|prestation|travaux|travail|produit|product)\b/i;
const PRICE_COL = /(price|cost|rate|amount|fee|prix|tarif|co[uû]t|montant)/i;
const UNIT_COL = /^(unit|per|unité|unite|par)\b/i;
const CURRENCY_COL = /^(currency|devise)\b/i;
const NOTE_COL = /^(notes?|details?|remarques?|conditions?)\b/i;
const VALID_COL = /^(valid[ _]?until|expires?|valable)/i;

interface Columns {
  service: number;
  price: number;
  unit: number;
  currency: number;
  note: number;
  valid: number;
}

function findColumns(header: string[]): Columns | null {
  const idx = (re: RegExp, not: number[] = []) => header.findIndex((h, i) => !not.includes(i) && re.test(h.trim()));
  const price = idx(PRICE_COL);
  if (price < 0) return null;
  let service = idx(SERVICE_COL, [price]);
  if (service < 0) service = price === 0 ? 1 : 0;
  if (service >= header.length) return null;
  const used = [price, service];
  return {
    service,
    price,
    unit: idx(UNIT_COL, used),
    currency: idx(CURRENCY_COL, used),
    note: idx(NOTE_COL, used),
    valid: idx(VALID_COL, used),
  };
}

const MEASURES = /^(hour|hr|h|visit|drain|job|day|item|unit|fixture|room|foot|ft|sq ?ft|metre|meter|m|month|year|week|person|heure|visite|jour|mois)$/i;

/** Money with its unit in words: `$149 per drain`, `from $2,400`, `$189 flat`. */
export function priceWithUnit(cents: number, currency: string | null, unit: string | null): string {
  const money = formatCents(cents, currency);
  if (!unit) return money;
  if (/^(from|starting|starting at|à partir de|a partir de)$/i.test(unit)) return `from ${money}`;
  if (/^(per|par)\b/i.test(unit)) return `${money} ${unit}`;
  if (MEASURES.test(unit)) return `${money} per ${unit}`;
  return `${money} ${unit}`;
}

/** Human line for one price row: `Drain cleaning: $149 CAD per drain (weekdays)`. */
function priceLine(service: string, cents: number, currency: string | null, unit: string | null, note: string): string {
  return `${service}: ${priceWithUnit(cents, currency, unit)}${note ? ` (${note})` : ''}.`;
}

/**
 * Turns a table (header + rows of cells) into price facts and readable lines when it looks like a
 * price list (a price/cost/rate column); otherwise returns readable lines only.
 */
export function tableToFacts(header: string[], rows: string[][], defaultCurrency: string): { facts: FactDraft[]; lines: string[] } {
  const cols = findColumns(header);
  const facts: FactDraft[] = [];
  const lines: string[] = [];
  for (const row of rows) {
    const cell = (i: number) => (i >= 0 ? (row[i] ?? '').trim() : '');
    const parsed = cols ? parsePriceCell(cell(cols.price)) : null;
    if (!cols || !parsed || !cell(cols.service)) {
      const joined = row.map((c) => c.trim()).filter(Boolean).join(' — ');
      if (joined) lines.push(joined + (/[.!?]$/.test(joined) ? '' : '.'));
      continue;
    }
    const service = cell(cols.service);
    const unit = cell(cols.unit) || parsed.unit;
    const currency = (cell(cols.currency) || parsed.currency || defaultCurrency).toUpperCase();
    const validUntil = cell(cols.valid) || null;
    if (validUntil && !isRealDate(validUntil)) throw new IngestError(`price row "${service}": valid_until "${validUntil}" is not a date (use YYYY-MM-DD)`);
    const line = priceLine(service, parsed.cents, currency, unit || null, cell(cols.note));
    lines.push(line);
    facts.push({
      type: 'price',
      key: service.toLowerCase(),
      value: line.replace(/\.$/, ''),
      service,
      amountCents: parsed.cents,
      currency,
      unit: unit || null,
      validUntil,
    });
  }
  return { facts, lines };
}

/**
 * Reads a CSV price list (header row; columns like service, price, unit, currency, notes,
 * valid_until). Rows become price facts and a readable Markdown list.
 * @throws IngestError when the CSV does not parse.
 */
export function parsePriceCsv(text: string, title: string, defaultCurrency: string): { facts: FactDraft[]; markdown: string } {
  let records: string[][];
  try {
    records = parseCsv(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (err) {
    throw new IngestError(`CSV does not parse: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (records.length === 0) throw new IngestError('CSV is empty');
  const [header, ...rows] = records;
  const { facts, lines } = tableToFacts(header!, rows, defaultCurrency);
  const markdown = `# ${title}\n\n${lines.map((l) => `- ${l}`).join('\n')}\n`;
  return { facts, markdown };
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));
}

/**
 * Finds GitHub-style Markdown tables in a body, extracts price facts from price tables, and
 * replaces every table with readable lines (better excerpts and answer sentences).
 */
export function extractMarkdownTables(body: string, defaultCurrency: string): { body: string; facts: FactDraft[] } {
  const lines = body.split(/\r?\n/);
  const out: string[] = [];
  const facts: FactDraft[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1] ?? '';
    if (/^\s*\|.*\|\s*$/.test(line) && /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(next)) {
      const header = splitRow(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && /^\s*\|.*\|\s*$/.test(lines[i]!)) rows.push(splitRow(lines[i++]!));
      i--;
      const t = tableToFacts(header, rows, defaultCurrency);
      facts.push(...t.facts);
      out.push(...t.lines.map((l) => `- ${l}`));
      continue;
    }
    out.push(line);
  }
  return { body: out.join('\n'), facts };
}
