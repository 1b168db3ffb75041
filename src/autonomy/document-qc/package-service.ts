import type { InputFile, Ocr } from '../../knowledge/documents/index.js';
import { readPackage } from '../../knowledge/documents/index.js';
import type { Db } from '../../store/db.js';
import type { Checklist } from './checklist.js';
import { checkPackage } from './checks.js';
import { storeFiles } from './file-store.js';
import { DEFAULT_REVIEW_MINUTES_PER_DOCUMENT, storeCheck, storedRead, storeRead } from './package-store.js';

/**
 * Adds files to a package and checks it: read (split, text, OCR, classify,
 * fields) → store, with the files' bytes (`storeFiles`) →
 * check every stored document of the package against its checklist → store the exceptions,
 * state, signal and ledger entries (`storeCheck`).
 * @param minutesPerDocument review minutes a person would spend per document (ledger).
 */
export async function addFilesAndCheck(db: Db, tenantId: string, packageId: string, files: readonly InputFile[], checklist: Checklist, ocr: Ocr | null, now: Date, minutesPerDocument = DEFAULT_REVIEW_MINUTES_PER_DOCUMENT) {
  const read = await readPackage(files, ocr);
  await storeRead(db, tenantId, packageId, read);
  await storeFiles(db, tenantId, packageId, files);
  const pkg = await db.selectFrom('docqc_packages').select(['as_of', 'borrowers']).where('id', '=', packageId).executeTakeFirstOrThrow();
  const all = await storedRead(db, tenantId, packageId);
  const result = checkPackage(all, checklist, { asOf: pkg.as_of, borrowers: pkg.borrowers });
  const stored = await storeCheck(db, tenantId, packageId, result, now, minutesPerDocument, read.documents.length);
  return { read, result, ...stored };
}
