import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Db } from '../../store/db.js';
import { InputError } from '../../core/errors.js';
import { resolveFormat, type ImportKind, type ResolvedFormat } from './formats.js';
import { countryOfPhone } from '../../core/phone.js';
import { toContactRow, toInvoiceRow, type ContactRow, type InvoiceRowIn, type RowError } from './rows.js';
import { writeContactBatch } from './write-contacts.js';
import { writeInvoiceBatch } from './write-invoices.js';

/** Rows written per transaction. */
export const IMPORT_BATCH_ROWS = 1000;
/** At most this many row errors are returned (the count in `skipped` stays exact). */
export const MAX_REPORTED_ERRORS = 1000;

export interface ImportOptions {
  kind: ImportKind;
  /** Column → field overrides, e.g. `{ "Tel": "phone" }`. */
  mapping?: Record<string, string>;
  /** Validate and count everything, write nothing. */
  dryRun?: boolean;
  /** Called after each batch with the rows read so far. */
  onProgress?: (p: ImportProgress) => void;
  /** "Now" for deriving overdue invoices. */
  now?: () => Date;
}

export interface ImportProgress {
  rows: number;
  imported: number;
  updated: number;
  skipped: number;
}

export interface ImportResult {
  /** Detected shape: `hubspot`, `pipedrive`, `quickbooks`, `xero`, `aios`, `custom` (`+mapping` when overridden). */
  format: string;
  dryRun: boolean;
  /** Data rows read (header excluded). */
  total: number;
  /** Rows that created a record (or would, in a dry run). */
  imported: number;
  /** Rows that matched an existing record (or an earlier row of the file). */
  updated: number;
  /** Rows with errors, not imported. */
  skipped: number;
  /** Per-row problems, at most MAX_REPORTED_ERRORS. */
  errors: RowError[];
  errorsTruncated: boolean;
}

/** Reads the header and first `rows` data rows: what the mapping makes of them, without writing. */
export interface ImportPreview {
  format: string;
  columns: Record<string, string[]>;
  rows: Array<Record<string, unknown>>;
  errors: RowError[];
}

type Input = Readable | AsyncIterable<string | Buffer> | string;

function records(input: Input, kind: ImportKind, mapping: Record<string, string> | undefined, onFormat: (f: ResolvedFormat) => void) {
  const source = typeof input === 'string' ? createReadStream(input) : input instanceof Readable ? input : Readable.from(input);
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      const cleaned = header.map((h) => h.trim().replace(/^\*/, ''));
      onFormat(resolveFormat(kind, cleaned, mapping));
      return cleaned;
    },
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  });
  source.on('error', (err: Error) => parser.destroy(err));
  return source.pipe(parser) as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>;
}

function csvError(err: unknown): never {
  if (err instanceof InputError) throw err;
  const e = err as Error & { code?: string; lines?: number };
  if (e.code?.startsWith('CSV_')) throw new InputError(`the file is not valid CSV near line ${e.lines ?? '?'}: ${e.message}`, { code: 'csv_invalid', fix: 'Export the file again as CSV (comma-separated, UTF-8) and retry.' });
  if (e.code === 'ENOENT') throw new InputError(`no such file: ${e.message}`, { code: 'file_not_found', fix: 'Check the path.' });
  throw err;
}

/**
 * Imports contacts (with their deals) or invoices from a CSV stream, in bounded memory: rows are
 * parsed as they arrive and written IMPORT_BATCH_ROWS at a time, one transaction per batch. Bad
 * rows are reported (line, column, problem) and skipped; good rows are imported. Re-importing the
 * same file creates nothing new (contacts match by E.164 phone, then email; invoices by number).
 * Throws InputError when the format cannot be recognised or the CSV is broken (rows of earlier
 * batches stay imported; a re-run is safe).
 */
export async function importCsvStream(db: Db, tenantId: string, input: Input, opts: ImportOptions): Promise<ImportResult> {
  const dryRun = opts.dryRun ?? false;
  const now = opts.now?.() ?? new Date();
  const tenant = await db.selectFrom('tenants').select(['currency', 'slug', 'phone']).where('id', '=', tenantId).executeTakeFirst();
  if (!tenant) throw new InputError(`unknown tenant ${tenantId}`, { fix: 'Import into a business that exists (`aios status` lists them).' });
  let fmt: ResolvedFormat | undefined;
  const result: ImportResult = { format: '', dryRun, total: 0, imported: 0, updated: 0, skipped: 0, errors: [], errorsTruncated: false };
  let batch: Array<ContactRow | InvoiceRowIn> = [];
  const flush = async () => {
    if (!fmt || batch.length === 0) return;
    const counts =
      opts.kind === 'contacts'
        ? await writeContactBatch(db, tenantId, batch as ContactRow[], { dryRun, source: `csv:${fmt.name}`, currency: tenant.currency })
        : await writeInvoiceBatch(db, tenantId, batch as InvoiceRowIn[], { dryRun, currency: tenant.currency });
    result.imported += counts.imported;
    result.updated += counts.updated;
    batch = [];
    opts.onProgress?.({ rows: result.total, imported: result.imported, updated: result.updated, skipped: result.skipped });
  };
  try {
    for await (const { record, info } of records(input, opts.kind, opts.mapping, (f) => (fmt = f))) {
      result.total++;
      const r = opts.kind === 'contacts' ? toContactRow(fmt!, record, info.lines, countryOfPhone(tenant.phone)) : toInvoiceRow(fmt!, record, info.lines, now);
      if ('errors' in r) {
        result.skipped++;
        for (const e of r.errors) {
          if (result.errors.length < MAX_REPORTED_ERRORS) result.errors.push(e);
          else result.errorsTruncated = true;
        }
        continue;
      }
      batch.push(r.value);
      if (batch.length >= IMPORT_BATCH_ROWS) await flush();
    }
  } catch (err) {
    csvError(err);
  }
  await flush();
  if (!fmt) throw new InputError('the file is empty (no header row)', { code: 'csv_empty', fix: 'Export the file again with its header row.' });
  result.format = fmt.name;
  opts.onProgress?.({ rows: result.total, imported: result.imported, updated: result.updated, skipped: result.skipped });
  return result;
}

/** `importCsvStream` on a file path. */
export async function importCsv(db: Db, tenantId: string, filePath: string, opts: ImportOptions): Promise<ImportResult> {
  return importCsvStream(db, tenantId, filePath, opts);
}

/** The detected format, the columns chosen per field and the first `rows` (default 5) data rows mapped (bad ones as errors). */
export async function previewCsv(input: Input, opts: { kind: ImportKind; mapping?: Record<string, string>; rows?: number; now?: Date }): Promise<ImportPreview> {
  let fmt: ResolvedFormat | undefined;
  const out: ImportPreview = { format: '', columns: {}, rows: [], errors: [] };
  const limit = opts.rows ?? 5;
  let seen = 0;
  try {
    for await (const { record, info } of records(input, opts.kind, opts.mapping, (f) => (fmt = f))) {
      const r = opts.kind === 'contacts' ? toContactRow(fmt!, record, info.lines) : toInvoiceRow(fmt!, record, info.lines, opts.now ?? new Date());
      if ('errors' in r) out.errors.push(...r.errors);
      else out.rows.push(r.value as unknown as Record<string, unknown>);
      if (++seen >= limit) break;
    }
  } catch (err) {
    csvError(err);
  }
  if (!fmt) throw new InputError('the file is empty (no header row)', { code: 'csv_empty', fix: 'Export the CSV again with its header row (column names) as the first line.' });
  out.format = fmt.name;
  out.columns = fmt.fields as Record<string, string[]>;
  return out;
}
