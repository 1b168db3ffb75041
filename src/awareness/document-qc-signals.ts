/**
 * Signals of document quality control (issue 12). Raised by `src/autonomy/document-qc/` when a
 * package is checked or staff request a document; the package's own records hold the detail.
 */

/** A checked package has open exceptions. Subject: the package id. Dedup `documents_exceptions_open:<packageId>:<check time ms>`. No playbook starts on it; resolved when the package is ready. */
export const DOCUMENTS_EXCEPTIONS_OPEN = 'documents_exceptions_open';
/** Data of {@link DOCUMENTS_EXCEPTIONS_OPEN}. */
export interface DocumentsExceptionsOpenData {
  packageId: string;
  name: string;
  open: number;
}

/** Staff asked to request documents from the client. Subject: the package id. Dedup `document_requested:<packageId>:<request id>`. Starts `document-request` (an email drafted for approval). */
export const DOCUMENT_REQUESTED = 'document_requested';
/** Data of {@link DOCUMENT_REQUESTED}. */
export interface DocumentRequestedData {
  packageId: string;
  /** Exceptions the request is about (status `requested`). */
  exceptionIds: string[];
  /** Who asked (`<kind>:<principal id>`): never the one who approves the email. */
  requestedBy: string;
  /** The asker's principal id (separation of duties: `autonomy/approvals/separation-of-duties.ts`). */
  proposedByPrincipal: string;
}
