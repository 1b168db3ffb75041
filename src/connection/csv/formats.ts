import { InputError } from '../../core/errors.js';

/** What a CSV import creates. */
export type ImportKind = 'contacts' | 'invoices';

/** Fields a column can map to, per kind. */
export const FIELDS = {
  contacts: ['name', 'first_name', 'last_name', 'email', 'phone', 'stage', 'deal_title', 'deal_value', 'deal_stage', 'deal_currency'],
  invoices: ['number', 'customer_name', 'customer_email', 'issued_at', 'due_at', 'amount', 'amount_due', 'currency', 'status'],
} as const satisfies Record<ImportKind, readonly string[]>;
export type Field = (typeof FIELDS)[ImportKind][number];

/** A known export shape: how to recognise it and which columns feed which field (first non-empty wins). */
interface FormatSpec {
  name: string;
  kind: ImportKind;
  /** Slashed dates: month first (US) or day first. */
  dateOrder: 'mdy' | 'dmy';
  detect(headers: Set<string>): boolean;
  columns: Partial<Record<Field, string[]>>;
  /** Extra columns matched by prefix, e.g. Pipedrive's "Person - Email - Work". */
  prefixes?: Partial<Record<Field, string>>;
}

const SPECS: FormatSpec[] = [
  {
    name: 'hubspot',
    kind: 'contacts',
    dateOrder: 'mdy',
    detect: (h) => h.has('First Name') && h.has('Last Name') && (h.has('Email') || h.has('Phone Number')),
    columns: { first_name: ['First Name'], last_name: ['Last Name'], email: ['Email'], phone: ['Phone Number', 'Mobile Phone Number'], stage: ['Lifecycle Stage'], deal_title: ['Associated Deal'] },
  },
  {
    name: 'pipedrive',
    kind: 'contacts',
    dateOrder: 'mdy',
    detect: (h) => [...h].some((c) => c.startsWith('Person - ')),
    columns: { name: ['Person - Name'], email: ['Person - Email'], phone: ['Person - Phone'], deal_title: ['Deal - Title'], deal_value: ['Deal - Value'], deal_stage: ['Deal - Stage'], deal_currency: ['Deal - Currency', 'Deal - Currency of Value'] },
    prefixes: { email: 'Person - Email - ', phone: 'Person - Phone - ' },
  },
  {
    name: 'quickbooks',
    kind: 'invoices',
    dateOrder: 'mdy',
    detect: (h) => h.has('Customer') && (h.has('Num') || h.has('No.')) && h.has('Amount'),
    columns: { issued_at: ['Date', 'Invoice Date'], number: ['Num', 'No.'], customer_name: ['Customer'], due_at: ['Due Date'], amount: ['Amount', 'Total'], amount_due: ['Open Balance', 'Balance'], status: ['Status'], customer_email: ['Email', 'Customer Email'], currency: ['Currency'] },
  },
  {
    name: 'xero',
    kind: 'invoices',
    dateOrder: 'dmy',
    detect: (h) => h.has('InvoiceNumber') && h.has('ContactName'),
    columns: { customer_name: ['ContactName'], customer_email: ['EmailAddress'], number: ['InvoiceNumber'], issued_at: ['InvoiceDate'], due_at: ['DueDate'], amount: ['Total'], amount_due: ['AmountDue'], currency: ['Currency'], status: ['Status'] },
  },
];

/** The columns chosen for each field, after detection and the caller's override. */
export interface ResolvedFormat {
  /** `hubspot`, `pipedrive`, `quickbooks`, `xero`, `aios` (columns named as the fields) or `custom`. */
  name: string;
  kind: ImportKind;
  dateOrder: 'mdy' | 'dmy';
  /** Field → columns in the file, first non-empty wins. */
  fields: Partial<Record<Field, string[]>>;
}

/**
 * Recognises the export from its header row and applies `mapping` (column → field) on top: a
 * mapped field reads only the given column. Xero's leading `*` on required columns is ignored.
 * Throws InputError when the shape is unknown and no mapping covers it, or the mapping names a
 * column or field that does not exist.
 */
export function resolveFormat(kind: ImportKind, rawHeaders: string[], mapping: Record<string, string> = {}): ResolvedFormat {
  const headers = rawHeaders.map(cleanHeader);
  const set = new Set(headers);
  const allowed = FIELDS[kind] as readonly string[];
  const spec = SPECS.find((s) => s.kind === kind && s.detect(set));
  const fields: Partial<Record<Field, string[]>> = {};
  let name = spec?.name ?? 'custom';
  if (spec) {
    for (const [f, cols] of Object.entries(spec.columns) as [Field, string[]][]) {
      const present = cols.filter((c) => set.has(c));
      for (const [pf, prefix] of Object.entries(spec.prefixes ?? {}) as [Field, string][]) if (pf === f) present.push(...headers.filter((h) => h.startsWith(prefix)));
      if (present.length) fields[f] = present;
    }
  } else {
    const own = headers.filter((h) => allowed.includes(h.toLowerCase()));
    for (const h of own) fields[h.toLowerCase() as Field] = [h];
    if (own.length) name = 'aios';
  }
  for (const [col, field] of Object.entries(mapping)) {
    const c = cleanHeader(col);
    if (!allowed.includes(field)) throw new InputError(`mapping "${col}=${field}": unknown field "${field}" for ${kind}`, { fix: `Fields for ${kind}: ${allowed.join(', ')}.` });
    if (!set.has(c)) throw new InputError(`mapping "${col}=${field}": the file has no column "${c}"`, { fix: `Columns in the file: ${headers.join(', ')}.` });
    fields[field as Field] = [c];
  }
  const required = kind === 'contacts' ? ['email', 'phone'] : ['number'];
  if (!required.some((f) => fields[f as Field]) || (kind === 'invoices' && !fields.amount)) {
    throw new InputError(`cannot tell which columns hold the ${kind} (${kind === 'contacts' ? 'an email or phone column' : 'invoice number and amount columns'} are needed); columns: ${headers.join(', ')}`, {
      code: 'import_format_unknown',
      fix: `Export from HubSpot, Pipedrive, QuickBooks Online or Xero, or map the columns: --map "Column Name=field" (fields: ${allowed.join(', ')}).`,
    });
  }
  if (Object.keys(mapping).length && name !== 'custom') name = `${name}+mapping`;
  return { name, kind, dateOrder: spec?.dateOrder ?? 'mdy', fields };
}

/** Header as compared: trimmed, without Xero's `*` required marker. */
export function cleanHeader(h: string): string {
  return h.trim().replace(/^\*/, '');
}

/** The first non-empty cell of `field`'s columns, with the column it came from. */
export function cell(fmt: ResolvedFormat, record: Record<string, string>, field: Field): { value: string; column: string } | null {
  for (const col of fmt.fields[field] ?? []) {
    const v = record[col]?.trim();
    if (v) return { value: v, column: col };
  }
  return null;
}

/** The column to name in an error about `field` (its first mapped column, or the field name). */
export function columnOf(fmt: ResolvedFormat, field: Field): string {
  return fmt.fields[field]?.[0] ?? field;
}

/** Parses `--map "First=name,Tel=phone"` (column=field pairs; a column may contain spaces). */
export function parseMappingArg(arg: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!arg) return out;
  for (const pair of arg.split(',')) {
    const eq = pair.lastIndexOf('=');
    if (eq <= 0) throw new InputError(`mapping "${pair}" is not column=field`, { fix: 'Write --map "Column Name=field,Other Column=field".' });
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}
