/** What a QC exception is about. */
export type ExceptionKind =
  | 'missing' | 'stale' | 'expired' | 'undated' | 'name_mismatch' | 'name_missing' | 'field_mismatch'
  | 'coverage_gap' | 'unsigned' | 'blank' | 'unknown_type' | 'unreadable' | 'unreadable_page';

/** Where an exception was seen: the file, its page (null for a whole file) and the text read there. */
export interface QcEvidence {
  file: string;
  page: number | null;
  seen: string;
}

/** One problem of a package, found by `checkPackage`. */
export interface QcException {
  /** Stable across re-checks of the same package (`missing:pay_stubs`, `stale:<doc id>`), so a
   * resolution or waiver survives a re-read. */
  key: string;
  kind: ExceptionKind;
  /** The checklist item concerned, or null (unreadable files, unknown documents). */
  item: string | null;
  /** One sentence a reviewer can act on. */
  message: string;
  evidence: QcEvidence[];
}

/** How staff closed an exception. `requested` waits for the client; only resolved/waived are closed. */
export type ExceptionStatus = 'open' | 'resolved' | 'waived' | 'requested';

/** Whether an exception in this status still blocks submission. */
export function blocksSubmission(status: ExceptionStatus): boolean {
  return status === 'open' || status === 'requested';
}
