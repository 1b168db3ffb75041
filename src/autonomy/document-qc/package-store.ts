import { sql } from 'kysely';
import { InputError, NotFoundError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { ReadPackage } from '../../knowledge/documents/index.js';
import { recordLedgerEntry } from '../../records/ledger-entries.js';
import { audit } from '../../records/audit.js';
import { resolveSignals, storeSignal } from '../../awareness/signal-store.js';
import { DOCUMENTS_EXCEPTIONS_OPEN, DOCUMENT_REQUESTED, type DocumentRequestedData, type DocumentsExceptionsOpenData } from '../../awareness/document-qc-signals.js';
import type { Db } from '../../store/db.js';
import type { Signal } from '../../store/schema.js';
import type { Checklist } from './checklist.js';
import type { CheckResult } from './checks.js';
import { blocksSubmission, type ExceptionStatus } from './exceptions.js';
import type { QcReport } from './report.js';
import type { PackageStatus } from './tables.js';
import './tables.js';
import { ACTION_KINDS } from '../../records/action-minutes.js';
import { PROPOSED_BY_PRINCIPAL } from '../approvals/separation-of-duties.js';

/** Minutes a person spends reviewing one document by hand: the review time a check saves (ledger). */
export const DEFAULT_REVIEW_MINUTES_PER_DOCUMENT = ACTION_KINDS.documentCheck.minutes;
/** Ledger categories: review minutes per check, and the first check's outcome (clean or not). */
export const LEDGER_REVIEW = 'document_qc_review';
export const LEDGER_FIRST_CLEAN = 'document_qc_first_check_clean';
export const LEDGER_FIRST_EXCEPTIONS = 'document_qc_first_check_exceptions';

/** A new package as staff create it. */
export interface NewPackage {
  tenantId: string;
  name: string;
  checklistId: string;
  borrowers: string[];
  clientEmail: string | null;
  /** `YYYY-MM-DD`. */
  asOf: string;
  createdBy: string;
}

/** Creates a package in state `received`. */
export async function createPackage(db: Db, p: NewPackage): Promise<string> {
  const id = newId('pkg');
  await db.insertInto('docqc_packages').values({ id, tenant_id: p.tenantId, name: p.name, checklist_id: p.checklistId, borrowers: JSON.stringify(p.borrowers), client_email: p.clientEmail, as_of: p.asOf, created_by: p.createdBy }).execute();
  await audit(db, p.tenantId, p.createdBy, 'docqc.package_created', id, { name: p.name, checklist: p.checklistId });
  return id;
}

async function packageRow(db: Db, tenantId: string, packageId: string) {
  const row = await db.selectFrom('docqc_packages').selectAll().where('tenant_id', '=', tenantId).where('id', '=', packageId).executeTakeFirst();
  if (!row) throw new NotFoundError('document package', packageId);
  return row;
}

/** Stores what was read (documents, pages) adding to the package's earlier files; state `read`. */
export async function storeRead(db: Db, tenantId: string, packageId: string, read: ReadPackage): Promise<void> {
  await packageRow(db, tenantId, packageId);
  // An unreadable file is kept as page 0 with its reason, so a re-check still lists it.
  const pageTexts = [...read.pages.map((p) => ({ ...p, reason: null })), ...read.unreadable.map((u) => ({ file: u.file, page: 0, source: 'none' as const, ocrConfidence: null, problem: u.message, reason: u.reason, text: '' }))];
  await db.transaction().execute(async (tx) => {
    const files = [...new Set([...read.documents.map((d) => d.file), ...pageTexts.map((p) => p.file)])];
    if (files.length) {
      await tx.deleteFrom('docqc_documents').where('package_id', '=', packageId).where('file', 'in', files).execute();
      await tx.deleteFrom('docqc_pages').where('package_id', '=', packageId).where('file', 'in', files).execute();
    }
    for (const d of read.documents) {
      await tx.insertInto('docqc_documents').values({ id: newId('pdoc'), tenant_id: tenantId, package_id: packageId, file: d.file, pages: d.pages, type: d.type, blank: d.blank, signed: d.signed, signatures: JSON.stringify(d.signatures), fields: JSON.stringify(d.fields), source: d.source }).execute();
    }
    for (const p of pageTexts) {
      await tx.insertInto('docqc_pages').values({ tenant_id: tenantId, package_id: packageId, file: p.file, page: p.page, source: p.source, ocr_confidence: p.ocrConfidence, problem: p.problem, reason: p.reason, text: p.text.replace(/\u0000/g, '') }).execute();
    }
    await tx.updateTable('docqc_packages').set({ status: 'read' }).where('id', '=', packageId).execute();
  });
}

/** The package's stored documents as a ReadPackage (for re-checking), plus stored page problems. */
export async function storedRead(db: Db, tenantId: string, packageId: string): Promise<ReadPackage> {
  const docs = await db.selectFrom('docqc_documents').selectAll().where('tenant_id', '=', tenantId).where('package_id', '=', packageId).orderBy('file').orderBy(sql`pages[1]`).execute();
  const pages = await db.selectFrom('docqc_pages').selectAll().where('tenant_id', '=', tenantId).where('package_id', '=', packageId).execute();
  const pageCounts = { text: 0, ocr: 0, none: 0 };
  for (const p of pages) if (p.page > 0) pageCounts[p.source] += 1;
  const unreadable = pages.filter((p) => p.page === 0).map((p) => ({ file: p.file, reason: p.reason ?? 'unreadable' as const, message: p.problem ?? 'cannot be read' }));
  return {
    documents: docs.map((d) => ({
      id: `${d.file}#${d.pages[0]}`, file: d.file, pages: d.pages, type: d.type, score: 0, fields: d.fields, signed: d.signed, signatures: d.signatures, blank: d.blank, source: d.source as 'text',
      text: pages.filter((p) => p.file === d.file && d.pages.includes(p.page)).map((p) => p.text).join('\n\n'),
    })),
    unreadable,
    pageCounts,
    pageProblems: pages.filter((p) => p.page > 0 && p.problem).map((p) => ({ file: p.file, page: p.page, problem: p.problem! })),
    pages: pages.filter((p) => p.page > 0).map((p) => ({ file: p.file, page: p.page, text: p.text, source: p.source, ocrConfidence: p.ocr_confidence, problem: p.problem })),
  };
}

/**
 * Stores a check: exceptions are upserted by key (a waived or resolved one stays so; one no longer
 * found is dropped when still open, resolved with the note "no longer found" when requested); the package becomes `exceptions_open` or
 * `ready`; a `documents_exceptions_open` signal is raised while any is open and resolved when none
 * is. The first check writes the ledger's first-check outcome; every check writes review minutes.
 * @param minutesPerDocument review time a person would spend per document (ledger), minutes.
 */
export async function storeCheck(db: Db, tenantId: string, packageId: string, result: CheckResult, now: Date, minutesPerDocument = DEFAULT_REVIEW_MINUTES_PER_DOCUMENT, documentCount = 0): Promise<{ status: PackageStatus; open: number; signal: Signal | undefined }> {
  const pkg = await packageRow(db, tenantId, packageId);
  const keys = result.exceptions.map((e) => e.key);
  const out = await db.transaction().execute(async (tx) => {
    for (const e of result.exceptions) {
      await tx.insertInto('docqc_exceptions').values({ id: newId('qcx'), tenant_id: tenantId, package_id: packageId, key: e.key, kind: e.kind, item: e.item, message: e.message, evidence: JSON.stringify(e.evidence) })
        .onConflict((oc) => oc.columns(['package_id', 'key']).doUpdateSet({ message: e.message, evidence: JSON.stringify(e.evidence), status: sql`case when docqc_exceptions.status = 'resolved' and docqc_exceptions.note = 'no longer found on re-check' then 'open' else docqc_exceptions.status end` }))
        .execute();
    }
    // No longer found: an open one nobody decided on disappears (it was only a gap in an earlier
    // upload); a requested one is resolved (what was asked for came in).
    let stale = tx.deleteFrom('docqc_exceptions').where('package_id', '=', packageId).where('status', '=', 'open');
    let received = tx.updateTable('docqc_exceptions').set({ status: 'resolved', note: 'no longer found on re-check', decided_by: 'system', decided_at: now }).where('package_id', '=', packageId).where('status', '=', 'requested');
    if (keys.length) {
      stale = stale.where('key', 'not in', keys);
      received = received.where('key', 'not in', keys);
    }
    await stale.execute();
    await received.execute();
    const open = await tx.selectFrom('docqc_exceptions').select((eb) => eb.fn.countAll<string>().as('n')).where('package_id', '=', packageId).where('status', 'in', ['open', 'requested']).executeTakeFirstOrThrow();
    const n = Number(open.n);
    const status: PackageStatus = n > 0 ? 'exceptions_open' : 'ready';
    const first = pkg.first_check_clean === null;
    await tx.updateTable('docqc_packages').set({ status, checked_at: now, ...(first ? { first_check_clean: result.exceptions.length === 0 } : {}) }).where('id', '=', packageId).execute();
    return { status, open: n, first };
  });
  const checkRun = `docqc:${packageId}:${newId('chk')}`;
  await recordLedgerEntry(db, { tenantId, runId: checkRun, category: LEDGER_REVIEW, minutesSaved: documentCount * minutesPerDocument, note: `${packageId}: ${documentCount} document(s) checked`, at: now });
  if (out.first) await recordLedgerEntry(db, { tenantId, runId: `docqc:${packageId}`, category: result.exceptions.length === 0 ? LEDGER_FIRST_CLEAN : LEDGER_FIRST_EXCEPTIONS, note: `${packageId}: ${result.exceptions.length} exception(s) on first check`, at: now });
  const live = await db.selectFrom('signals').select('id').where('tenant_id', '=', tenantId).where('kind', '=', DOCUMENTS_EXCEPTIONS_OPEN).where('subject', '=', packageId).where('status', 'in', ['open', 'handling', 'snoozed']).execute();
  let signal: Signal | undefined;
  if (out.open > 0 && live.length === 0) {
    const data: DocumentsExceptionsOpenData = { packageId, name: pkg.name, open: out.open };
    signal = await storeSignal(db, { tenantId, kind: DOCUMENTS_EXCEPTIONS_OPEN, subject: packageId, dedupKey: `${DOCUMENTS_EXCEPTIONS_OPEN}:${packageId}:${now.getTime()}`, data }, now);
  } else if (out.open === 0) await resolveSignals(db, tenantId, live.map((l) => l.id), now, 'package ready: no open exceptions');
  return { status: out.status, open: out.open, signal };
}

/** What staff do with an exception. `request` needs the package's client email. */
export type ExceptionDecision = { action: 'resolve'; note?: string } | { action: 'waive'; reason: string } | { action: 'request'; note?: string };

/**
 * Resolves, waives (a reason is required) or requests an exception. A request raises
 * `document_requested`; its run drafts the email to the client, which waits for approval by
 * someone other than `actor`. Returns the signal of a request (to plan its run), else undefined.
 * @throws InputError when a waiver has no reason or a request has no client email.
 */
export async function decideException(db: Db, tenantId: string, packageId: string, exceptionId: string, d: ExceptionDecision, actor: string, principalId: string, now: Date): Promise<{ status: ExceptionStatus; requestSignal: Signal | undefined }> {
  const pkg = await packageRow(db, tenantId, packageId);
  const ex = await db.selectFrom('docqc_exceptions').selectAll().where('package_id', '=', packageId).where('id', '=', exceptionId).executeTakeFirst();
  if (!ex) throw new NotFoundError('exception', exceptionId);
  if (pkg.status === 'submitted') throw new InputError('the package is already submitted', { status: 409, fix: 'Create a new package for further documents.' });
  if (d.action === 'waive' && !d.reason.trim()) throw new InputError('a waiver needs a reason', { fix: 'Say why the exception does not block submission (e.g. "lender accepts the 2024 W-2 alone").' });
  if (d.action === 'request' && !pkg.client_email) throw new InputError('the package has no client email to request documents from', { status: 409, fix: 'Set the client\'s email on the package (PATCH) first.' });
  const status: ExceptionStatus = d.action === 'resolve' ? 'resolved' : d.action === 'waive' ? 'waived' : 'requested';
  const note = d.action === 'waive' ? d.reason.trim() : d.note?.trim() || null;
  let requestSignal: Signal | undefined;
  if (d.action === 'request') {
    const data: DocumentRequestedData = { packageId, exceptionIds: [exceptionId], requestedBy: actor, [PROPOSED_BY_PRINCIPAL]: principalId };
    requestSignal = await storeSignal(db, { tenantId, kind: DOCUMENT_REQUESTED, subject: packageId, dedupKey: `${DOCUMENT_REQUESTED}:${packageId}:${newId('req')}`, data }, now);
  }
  await db.updateTable('docqc_exceptions').set({ status, note, decided_by: actor, decided_at: now, signal_id: requestSignal?.id ?? ex.signal_id }).where('id', '=', exceptionId).execute();
  await audit(db, tenantId, actor, `docqc.exception_${status}`, exceptionId, { packageId, kind: ex.kind, note });
  await refreshStatus(db, tenantId, packageId, now);
  return { status, requestSignal };
}

async function refreshStatus(db: Db, tenantId: string, packageId: string, now: Date): Promise<void> {
  const rows = await db.selectFrom('docqc_exceptions').select('status').where('package_id', '=', packageId).execute();
  const open = rows.filter((r) => blocksSubmission(r.status)).length;
  await db.updateTable('docqc_packages').set({ status: open ? 'exceptions_open' : 'ready' }).where('id', '=', packageId).where('status', 'in', ['exceptions_open', 'ready']).execute();
  if (open === 0) {
    const live = await db.selectFrom('signals').select('id').where('tenant_id', '=', tenantId).where('kind', '=', DOCUMENTS_EXCEPTIONS_OPEN).where('subject', '=', packageId).execute();
    await resolveSignals(db, tenantId, live.map((l) => l.id), now, 'package ready: no open exceptions');
  }
}

/** Marks a ready package submitted. @throws InputError (409) while exceptions are open. */
export async function submitPackage(db: Db, tenantId: string, packageId: string, actor: string, now: Date): Promise<void> {
  const pkg = await packageRow(db, tenantId, packageId);
  if (pkg.status !== 'ready') throw new InputError(`the package is ${pkg.status.replace('_', ' ')}, not ready`, { status: 409, fix: 'Resolve, waive or receive every open exception first.' });
  await db.updateTable('docqc_packages').set({ status: 'submitted', submitted_at: now }).where('id', '=', packageId).execute();
  await audit(db, tenantId, actor, 'docqc.package_submitted', packageId, {});
}

/** The package's report from its records (documents, exceptions with their status). */
export async function storedReport(db: Db, tenantId: string, packageId: string, checklist: Pick<Checklist, 'id' | 'label'>): Promise<QcReport & { status: PackageStatus; exceptionIds: string[] }> {
  const pkg = await packageRow(db, tenantId, packageId);
  const docs = await db.selectFrom('docqc_documents').selectAll().where('package_id', '=', packageId).orderBy('file').orderBy(sql`pages[1]`).execute();
  const exs = await db.selectFrom('docqc_exceptions').selectAll().where('package_id', '=', packageId).orderBy('seq').execute();
  return {
    packageName: pkg.name, checklist: { id: checklist.id, label: checklist.label }, asOf: pkg.as_of, status: pkg.status,
    borrowers: pkg.borrowers, borrowersInferred: pkg.borrowers.length === 0,
    documents: docs.map((d) => ({ file: d.file, pages: d.pages, type: d.type, blank: d.blank, fields: Object.fromEntries(Object.entries(d.fields).map(([k, v]) => [k, { value: v.value, page: v.page }])) })),
    exceptions: exs.map((e) => ({ key: e.key, kind: e.kind, item: e.item, message: e.message, evidence: e.evidence, status: e.status, note: e.note })),
    exceptionIds: exs.map((e) => e.id),
  };
}
