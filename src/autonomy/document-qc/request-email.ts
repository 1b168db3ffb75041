import type { Checklist } from './checklist.js';
import type { ExceptionKind } from './exceptions.js';

const ASK: Partial<Record<ExceptionKind, string>> = {
  missing: '', coverage_gap: 'the statements for the missing dates of', stale: 'a more recent copy of', expired: 'a valid (unexpired) copy of', unsigned: 'a signed copy of',
  blank: 'the completed copy of', name_mismatch: 'a copy in the borrower\'s name of', unreadable: 'a clearer scan of', unreadable_page: 'a clearer scan of',
};

/**
 * The lines of a document request, written from the checklist's item labels and fixed wording
 * only: nothing read from the client's documents (OCR text, names) reaches the email.
 */
export function requestLines(exceptions: ReadonlyArray<{ kind: ExceptionKind; item: string | null }>, checklist: Checklist | undefined): string[] {
  const lines = exceptions.map((e) => {
    const item = checklist?.items.find((i) => i.id === e.item);
    const what = item?.label ?? 'the document we asked about';
    const ask = ASK[e.kind];
    return ask ? `${ask} ${what[0]!.toLowerCase()}${what.slice(1)}` : what;
  });
  return [...new Set(lines)];
}
