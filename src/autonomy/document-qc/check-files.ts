import { readPackage, type InputFile, type Ocr, type ReadPackage } from '../../knowledge/documents/index.js';
import type { Checklist } from './checklist.js';
import { checkPackage, type CheckOptions, type CheckResult } from './checks.js';
import type { QcReport, ReportDocument } from './report.js';

/** The documents of a read package as the report lists them (no page text). */
export function reportDocuments(read: ReadPackage): ReportDocument[] {
  return read.documents.map((d) => ({
    file: d.file, pages: d.pages, type: d.type, blank: d.blank,
    fields: Object.fromEntries(Object.entries(d.fields).map(([k, v]) => [k, { value: v!.value, page: v!.page }])),
  }));
}

/** A report for a fresh check: every exception open. */
export function freshReport(packageName: string, checklist: Checklist, asOf: string, read: ReadPackage, result: CheckResult): QcReport {
  return {
    packageName, checklist: { id: checklist.id, label: checklist.label }, asOf,
    borrowers: result.borrowers, borrowersInferred: result.borrowersInferred,
    documents: reportDocuments(read),
    exceptions: result.exceptions.map((e) => ({ ...e, status: 'open' as const, note: null })),
  };
}

/**
 * Reads and checks files in one go (CLI, bench): read → check → report with every exception open.
 * @param ocr an OCR engine for scanned pages, or null (scanned pages are then reported unreadable).
 */
export async function checkFiles(packageName: string, files: readonly InputFile[], checklist: Checklist, opts: CheckOptions, ocr: Ocr | null): Promise<{ read: ReadPackage; result: CheckResult; report: QcReport }> {
  const read = await readPackage(files, ocr);
  const result = checkPackage(read, checklist, opts);
  return { read, result, report: freshReport(packageName, checklist, opts.asOf, read, result) };
}
