import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { DOCUMENT_TYPES } from '../../knowledge/documents/index.js';
import { zodProblems } from '../../records/tenant-file.js';

const TYPE_IDS = DOCUMENT_TYPES.map((t) => t.id);
const AGREE_FIELDS = ['address', 'employer', 'income', 'loanAmount', 'propertyAddress', 'salePrice', 'interestRate', 'lender'] as const;

const itemSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower-case letters, digits and _'),
  label: z.string().min(1),
  /** Document types that satisfy the item (any of them). */
  types: z.array(z.enum(TYPE_IDS as [string, ...string[]], { message: `must be one of: ${TYPE_IDS.join(', ')}` })).min(1),
  /** How many documents are required (default 1); 0 makes the item optional. */
  count: z.number().int().min(0).max(24).default(1),
  /** A document dated more than this many days before the package's date is stale. */
  max_age_days: z.number().int().positive().optional(),
  /** Statements: their periods must cover this many days before the package date without a gap. */
  covers_days: z.number().int().positive().max(1100).optional(),
  /** With `covers_days`: the newest period may end this many days before the package date (the current cycle). */
  open_cycle_days: z.number().int().min(0).max(92).default(31),
  /** `borrower`: the document must name one of the package's borrowers. */
  must_name: z.literal('borrower').optional(),
  /** The document must not have expired by the package's date (IDs). */
  not_expired: z.boolean().default(false),
  /** A signature must be seen. */
  signed: z.boolean().default(false),
  /** A blank form does not count: its key fields must be filled. */
  filled: z.boolean().default(false),
});

const checklistSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'use lower-case letters, digits and -'),
  label: z.string().min(1),
  items: z.array(itemSchema).min(1),
  /** Fields that must agree across the documents carrying them (optionally only these types). */
  agree: z.array(z.strictObject({
    field: z.enum(AGREE_FIELDS, { message: `must be one of: ${AGREE_FIELDS.join(', ')}` }),
    types: z.array(z.enum(TYPE_IDS as [string, ...string[]])).optional(),
    /** Money may differ by this many percent (default 0). */
    tolerance_percent: z.number().min(0).max(100).default(0),
  })).default([]),
});

/** A validated checklist: what a package of one file type must contain. */
export type Checklist = z.infer<typeof checklistSchema>;
export type ChecklistItem = Checklist['items'][number];

/** Folder of the checklists shipped with AIOS. */
export const SHIPPED_CHECKLISTS = join(import.meta.dirname, 'checklists');

/**
 * Parses one checklist file.
 * @throws ConfigError naming the file and every bad field (unknown type, key, missing label…).
 */
export function parseChecklist(text: string, file: string): Checklist {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new ConfigError(file, '', `is not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, `Fix the YAML syntax in ${file}.`);
  }
  const res = checklistSchema.safeParse(raw);
  if (!res.success) throw ConfigError.of(file, zodProblems(res.error, checklistSchema), `Edit ${file} and correct each field listed.`);
  const ids = res.data.items.map((i) => i.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new ConfigError(file, `items.${ids.lastIndexOf(dup)}.id`, `"${dup}" is used twice`, `Give each item of ${file} its own id.`);
  return res.data;
}

function readFolder(dir: string): Checklist[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => parseChecklist(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}

/**
 * The checklists a business can use: the shipped ones, then `<tenantDir>/checklists/*.yaml`
 * (one with a shipped id replaces it).
 * @throws ConfigError for the first bad file.
 */
export function loadChecklists(tenantDir?: string): Map<string, Checklist> {
  const all = new Map<string, Checklist>();
  for (const c of [...readFolder(SHIPPED_CHECKLISTS), ...(tenantDir ? readFolder(join(tenantDir, 'checklists')) : [])]) all.set(c.id, c);
  return all;
}
