import type { FieldName, ReadDocument, ReadPackage } from '../../knowledge/documents/index.js';
import { documentType } from '../../knowledge/documents/index.js';
import type { Checklist, ChecklistItem } from './checklist.js';
import { coverageException } from './coverage.js';
import type { QcEvidence, QcException } from './exceptions.js';

/** How a package is checked: its date (freshness is measured to it) and its borrowers. */
export interface CheckOptions {
  /** `YYYY-MM-DD`: the day the package is checked against (usually received or today). */
  asOf: string;
  /** Borrowers' names; when empty the name most documents carry is taken (and reported). */
  borrowers?: readonly string[];
}

/** Result of a check: the exceptions and which documents satisfied each item. */
export interface CheckResult {
  exceptions: QcException[];
  /** Item id → ids of the documents counted for it. */
  matched: Record<string, string[]>;
  borrowers: string[];
  /** True when `borrowers` was taken from the documents, not given. */
  borrowersInferred: boolean;
}

const DAY_MS = 86_400_000;
/** Sources trusted first when two values are equally common (unlisted types come last). */
const AUTHORITY = ['government_id', 'closing_disclosure', 'loan_estimate', 'settlement_statement', 'w2', 't4', 'notice_of_assessment', 'pay_stub', 'check', 'account_statement'];
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
const tokens = (name: string) => name.toLowerCase().replace(/[^a-z ]/g, ' ').split(/\s+/).filter((t) => t.length > 1);

/** Two names match when every word of the shorter is in the longer (`Desai` ~ `Pat Desai`). */
export function sameName(a: string, b: string): boolean {
  const [x, y] = [tokens(a), tokens(b)].sort((p, q) => p.length - q.length) as [string[], string[]];
  return x.length > 0 && x.every((t) => y.includes(t));
}

function evidence(doc: ReadDocument, field?: FieldName): QcEvidence {
  const f = field ? doc.fields[field] : undefined;
  return { file: doc.file, page: f?.page ?? doc.pages[0] ?? null, seen: f ? f.seen : doc.text.replace(/\s+/g, ' ').slice(0, 160) };
}

const label = (doc: ReadDocument) => `${documentType(doc.type)?.label ?? doc.type} (${doc.file}${doc.pages.length > 1 ? ` pages ${doc.pages[0]}–${doc.pages.at(-1)}` : ` page ${doc.pages[0]}`})`;
const normalised = (v: string) => v.toLowerCase().replace(/[^a-z0-9]/g, '');

function inferBorrowers(docs: ReadDocument[]): string[] {
  const counts = new Map<string, number>();
  for (const d of docs) {
    const name = d.fields.name?.value;
    if (!name) continue;
    const known = [...counts.keys()].find((k) => sameName(k, name));
    counts.set(known ?? name, (counts.get(known ?? name) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return best ? [best[0]] : [];
}

function checkDocument(item: ChecklistItem, doc: ReadDocument, opts: CheckOptions, borrowers: string[], out: QcException[]): void {
  const date = doc.fields.documentDate ?? doc.fields.periodEnd;
  if (item.max_age_days !== undefined || item.covers_days !== undefined) {
    if (!date) out.push({ key: `undated:${doc.id}`, kind: 'undated', item: item.id, message: `${label(doc)}: no date found; check it is within ${item.max_age_days ?? item.covers_days} days`, evidence: [evidence(doc)] });
    else if (item.max_age_days !== undefined && days(date.value, opts.asOf) > item.max_age_days) {
      out.push({ key: `stale:${doc.id}`, kind: 'stale', item: item.id, message: `${label(doc)} is dated ${date.value}, ${days(date.value, opts.asOf)} days before ${opts.asOf} (at most ${item.max_age_days}): ask for a recent one`, evidence: [evidence(doc, doc.fields.documentDate ? 'documentDate' : 'periodEnd')] });
    }
  }
  if (item.not_expired) {
    const exp = doc.fields.expiryDate;
    if (!exp) out.push({ key: `undated:${doc.id}`, kind: 'undated', item: item.id, message: `${label(doc)}: no expiry date found; check it is valid`, evidence: [evidence(doc)] });
    else if (exp.value < opts.asOf) out.push({ key: `expired:${doc.id}`, kind: 'expired', item: item.id, message: `${label(doc)} expired on ${exp.value}: ask for a valid one`, evidence: [evidence(doc, 'expiryDate')] });
  }
  if (item.must_name && borrowers.length > 0) {
    const names = [doc.fields.name, doc.fields.coName].filter((f) => f !== undefined);
    if (names.length === 0) out.push({ key: `name_missing:${doc.id}`, kind: 'name_missing', item: item.id, message: `${label(doc)}: no name found; check it names ${borrowers.join(' or ')}`, evidence: [evidence(doc)] });
    else if (!names.some((n) => borrowers.some((b) => sameName(n.value, b)))) {
      out.push({ key: `name_mismatch:${doc.id}`, kind: 'name_mismatch', item: item.id, message: `${label(doc)} names ${names.map((n) => n.value).join(' and ')}, not the borrower ${borrowers.join(' or ')}`, evidence: [evidence(doc, 'name')] });
    }
  }
  if (item.filled && doc.blank) out.push({ key: `blank:${doc.id}`, kind: 'blank', item: item.id, message: `${label(doc)} is a blank form: ask for the filled one`, evidence: [evidence(doc)] });
  if (item.signed && doc.signed !== true) {
    // Quote every signature place looked at; with none, what the document's text starts with.
    const places = doc.signatures.map((p) => ({ file: doc.file, page: p.page, seen: p.seen }));
    const why = doc.signed === false
      ? `${places.length === 1 ? 'the signature line is' : `all ${places.length} signature places are`} empty (“${doc.signatures[0]!.seen}”${places.length > 1 ? ', …' : ''})`
      : 'no signature line, stamp or PDF signature field found';
    out.push({ key: `unsigned:${doc.id}`, kind: 'unsigned', item: item.id, message: `${label(doc)}: ${why}; ask for the signed copy`, evidence: places.length ? places : [evidence(doc)] });
  }
}

function checkAgreement(checklist: Checklist, docs: ReadDocument[], out: QcException[]): void {
  for (const rule of checklist.agree) {
    const carrying = docs.filter((d) => d.fields[rule.field] && (!rule.types || rule.types.includes(d.type)));
    if (carrying.length < 2) continue;
    const groups = new Map<string, ReadDocument[]>();
    for (const d of carrying) {
      const v = d.fields[rule.field]!.value;
      const key = [...groups.keys()].find((k) => agrees(rule.field, k, v, rule.tolerance_percent)) ?? v;
      groups.set(key, [...(groups.get(key) ?? []), d]);
    }
    if (groups.size < 2) continue;
    // The value most documents carry is the reference; on a tie, the one from the more
    // authoritative source (an ID or a lender's disclosure over a form the client filled in).
    const rank = (g: ReadDocument[]) => Math.min(...g.map((d) => (AUTHORITY.indexOf(d.type) + AUTHORITY.length + 1) % (AUTHORITY.length + 1)));
    const [reference, ...others] = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || rank(a[1]) - rank(b[1]));
    for (const [value, group] of others) {
      for (const d of group) {
        out.push({
          key: `field_mismatch:${rule.field}:${d.id}`, kind: 'field_mismatch', item: null,
          message: `${rule.field} disagrees: ${label(d)} has ${value}, ${label(reference![1][0]!)} has ${reference![0]}`,
          evidence: [evidence(d, rule.field), evidence(reference![1][0]!, rule.field)],
        });
      }
    }
  }
}

function agrees(field: FieldName, a: string, b: string, tolerancePercent: number): boolean {
  if (['income', 'loanAmount', 'salePrice'].includes(field)) {
    const [x, y] = [Number(a), Number(b)];
    return Math.abs(x - y) <= (Math.max(x, y) * tolerancePercent) / 100;
  }
  return normalised(a) === normalised(b);
}

/**
 * Checks a read package against a checklist: missing and stale documents, expired IDs, names
 * that are not the borrower's, fields that disagree across documents, blank and unsigned forms,
 * unknown documents and unreadable files — each an exception with its evidence (file, page, the
 * text seen). Documents are counted for the first item whose types they match, newest first.
 */
export function checkPackage(read: ReadPackage, checklist: Checklist, opts: CheckOptions): CheckResult {
  const out: QcException[] = [];
  const inferred = !opts.borrowers?.length;
  const typed = read.documents.filter((d) => d.type !== 'unknown');
  const borrowers = inferred ? inferBorrowers(typed) : [...opts.borrowers!];
  const used = new Set<string>();
  const matched: Record<string, string[]> = {};
  for (const item of checklist.items) {
    const candidates = typed
      .filter((d) => !used.has(d.id) && item.types.includes(d.type))
      .sort((a, b) => (b.fields.documentDate?.value ?? '').localeCompare(a.fields.documentDate?.value ?? ''));
    const chosen = candidates;
    matched[item.id] = chosen.map((d) => d.id);
    for (const d of chosen) used.add(d.id);
    if (chosen.length < item.count) {
      out.push({ key: `missing:${item.id}`, kind: 'missing', item: item.id, message: `${item.label}: ${chosen.length} of ${item.count} found; request ${item.count - chosen.length === 1 ? 'it' : `${item.count - chosen.length} more`} from the client`, evidence: [] });
    }
    for (const d of chosen) checkDocument(item, d, opts, borrowers, out);
    const gap = coverageException(item, chosen, opts.asOf);
    if (gap) out.push(gap);
  }
  checkAgreement(checklist, typed, out);
  for (const d of read.documents.filter((x) => x.type === 'unknown')) {
    out.push({ key: `unknown_type:${d.id}`, kind: 'unknown_type', item: null, message: `${d.file} page ${d.pages.join(', ')}: document type not recognised; classify it by hand or remove it`, evidence: [evidence(d)] });
  }
  for (const u of read.unreadable) out.push({ key: `unreadable:${u.file}`, kind: 'unreadable', item: null, message: `${u.file}: ${u.message}`, evidence: [{ file: u.file, page: null, seen: u.reason }] });
  const unreadableFiles = new Set(read.unreadable.map((u) => u.file));
  for (const p of read.pageProblems.filter((x) => !unreadableFiles.has(x.file))) {
    out.push({ key: `unreadable_page:${p.file}#${p.page}`, kind: 'unreadable_page', item: null, message: `${p.file} page ${p.page}: ${p.problem}`, evidence: [{ file: p.file, page: p.page, seen: '' }] });
  }
  return { exceptions: out, matched, borrowers, borrowersInferred: inferred };
}
