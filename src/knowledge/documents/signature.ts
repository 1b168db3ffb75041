/**
 * Whether a form was signed, and the evidence for it. Three kinds of proof count, each quoted:
 * a PDF signature field (`/FT /Sig`) that carries a value, an e-signature stamp (`/s/ Name`,
 * DocuSign, "Digitally signed by"), or a signature line with a name or a date filled in next to it.
 * A signature line left blank (`Borrower Signature: ______`) or a signature field without a value
 * is quoted as the place looked at. A drawn (ink) signature is not in the text layer: it is only
 * seen through the date written beside it, else the line is reported empty for a person to look.
 */

/** One place a signature belongs, and what was found there. */
export interface SignatureSeen {
  /** 1-based page inside the file. */
  page: number;
  how: 'pdf_field' | 'stamp' | 'filled_line' | 'empty_line' | 'empty_field';
  /** The line looked at, or `PDF signature field "<name>"`. */
  seen: string;
}

/** A PDF signature field on a page: its name and whether it carries a signature value. */
export interface PdfSignatureField {
  name: string;
  signed: boolean;
}

const STAMPS = [/\/s\/[ \t]*[A-Z][A-Za-z.'-]+/, /DocuSign Envelope ID/i, /Digitally signed by/i, /Electronically signed by/i, /\bSigned by:?[ \t]+[A-Z][a-z]+/];
/** A signature label: the word, then a colon or a run of underscores (the blank to sign on). */
const LABEL = /\b(?:signature|signed)\b[^:_\n]{0,40}?(?::|(?=[ \t]*_{3,}))/i;
/** The next label on the line (`Date:`, `Printed name:`) ends the signature's blank. */
const NEXT_LABEL = /[ \t](?=(?:[A-Z][a-z]+ [a-z]+|[A-Z][A-Za-z]*)[ \t]*:)/;
const DATE = /\b(\d{1,2}[/-]\d{1,2}[/-]\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2} [A-Za-z]{3,9},? \d{4}|[A-Za-z]{3,9} \d{1,2},? \d{4})\b/;
/** Words of a label, not of a signer's name. */
const LABEL_WORDS = /\b(of|the|borrower|co-?borrower|applicant|co-?applicant|buyer|seller|purchaser|vendor|witness|date|here|x)\b/gi;

/** A sentence about signing ("By signing, you …"), not a place to sign. */
const SENTENCE = /[.;,]\s*$|\b(?:you|your|by|are|is|that|this|have|will|must)\b/i;
/** What remains of a line's signature blank once underscores, punctuation and label words are gone. */
const written = (s: string) => s.replace(/\bsignatures?\b/gi, ' ').replace(LABEL_WORDS, ' ').replace(/[_.:\-–—\s]+/g, ' ').trim();
const filledIn = (blank: string, rest = '') => /[A-Za-z]{2,}/.test(written(blank)) || DATE.test(blank) || DATE.test(rest);

/**
 * The signature place of one line of text, or null when the line holds none: a stamp; a label
 * (`Borrower Signature:` or `Signature ____`) whose blank — up to the next label such as `Date:` —
 * holds a name, or whose line holds a filled date; or a row of labels only (`Applicant Signature
 * Date`), filled when anything but label words is written on it.
 */
export function signatureOfLine(line: string, page: number): SignatureSeen | null {
  const seen = line.replace(/\s+/g, ' ').trim().slice(0, 160);
  if (STAMPS.some((s) => s.test(line))) return { page, how: 'stamp', seen };
  if (line.length > 160) return null;
  const label = LABEL.exec(line);
  if (label) {
    const after = line.slice(label.index + label[0].length);
    const cut = NEXT_LABEL.exec(after);
    const blank = cut ? after.slice(0, cut.index) : after;
    return { page, how: filledIn(blank, cut ? after.slice(cut.index) : '') ? 'filled_line' : 'empty_line', seen };
  }
  if (/\bsignature\b/i.test(line) && line.length <= 100 && !SENTENCE.test(line)) return { page, how: filledIn(line) ? 'filled_line' : 'empty_line', seen };
  return null;
}

/**
 * Every signature place of a document's pages: PDF signature fields first, then text lines.
 * @param pages page text and the PDF signature fields found on each page.
 */
export function findSignatures(pages: ReadonlyArray<{ page: number; text: string; signatureFields?: readonly PdfSignatureField[] }>): SignatureSeen[] {
  const out: SignatureSeen[] = [];
  for (const p of pages) {
    for (const f of p.signatureFields ?? []) out.push({ page: p.page, how: f.signed ? 'pdf_field' : 'empty_field', seen: `PDF signature field "${f.name}"${f.signed ? ' (signed)' : ' (no signature value)'}` });
    for (const line of p.text.split('\n')) {
      const s = signatureOfLine(line, p.page);
      if (s) out.push(s);
    }
  }
  return out;
}

/** True when any place proves a signature, false when places were found and all are empty, null when there is none. */
export function isSigned(places: readonly SignatureSeen[]): boolean | null {
  if (places.length === 0) return null;
  return places.some((p) => p.how === 'pdf_field' || p.how === 'stamp' || p.how === 'filled_line');
}
