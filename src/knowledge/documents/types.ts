import type { PdfSignatureField, SignatureSeen } from './signature.js';

/**
 * Shapes of a read document package: pages (text or OCR), documents split out of files, their
 * type and key fields. Produced by `read.ts`, checked by `src/autonomy/document-qc/`.
 */

/** How a page's text was obtained. */
export type PageSource = 'text' | 'ocr' | 'none';

/** One page of an input file. */
export interface ReadPage {
  /** 1-based page number inside its file. */
  page: number;
  text: string;
  source: PageSource;
  /** OCR mean confidence 0..100; null for text pages. */
  ocrConfidence: number | null;
  /** Why this page could not be read (image too small, unsupported image format), else null. */
  problem: string | null;
  /** PDF signature fields on the page (not stored: their verdict is in the document's `signatures`). */
  signatureFields?: PdfSignatureField[];
}

/** A file that could not be read at all (encrypted, corrupt, unsupported type). */
export interface UnreadableFile {
  file: string;
  reason: 'encrypted' | 'corrupt' | 'unsupported' | 'too-small' | 'unreadable';
  message: string;
}

/** One extracted field value with where it was seen. */
export interface FieldValue {
  /** Normalised value: text; money in cents as a decimal string; dates `YYYY-MM-DD`; rates in percent. */
  value: string;
  /** 1-based page inside the file. */
  page: number;
  /** The text the value was read from (one line or a short excerpt). */
  seen: string;
}

/** Field names the extractors know. Money is in cents, rates in percent, dates ISO. */
export type FieldName =
  | 'name' | 'coName' | 'address' | 'employer' | 'income' | 'loanAmount' | 'salePrice' | 'interestRate'
  | 'lender' | 'propertyAddress' | 'documentDate' | 'expiryDate' | 'periodStart' | 'periodEnd';

/** One document split out of a file: its pages, type and fields. */
export interface ReadDocument {
  /** Stable inside a package: `<file>#<first page>`. */
  id: string;
  file: string;
  /** 1-based pages of `file` belonging to this document. */
  pages: number[];
  /** A document type id from `document-types.ts`, or `unknown`. */
  type: string;
  /** Classification score of the winning type (sum of matched keyword weights). */
  score: number;
  fields: Partial<Record<FieldName, FieldValue>>;
  /** Whether a signature was seen (`signature.ts`); null when no signature place was found. */
  signed: boolean | null;
  /** Every signature place looked at, with what was found. */
  signatures: SignatureSeen[];
  /** True when the form is recognised but none of its key fields carry a value. */
  blank: boolean;
  /** Text of the document's pages, joined. */
  text: string;
  source: PageSource;
}

/** The result of reading files: documents plus files that could not be read. */
export interface ReadPackage {
  documents: ReadDocument[];
  unreadable: UnreadableFile[];
  /** Pages read per source, for throughput. */
  pageCounts: Record<PageSource, number>;
  /** Pages that could not be read (too small, unsupported scan, no readable text), with why. */
  pageProblems: Array<{ file: string; page: number; problem: string }>;
  /** Every page read, with its file (for storing the text). */
  pages: Array<ReadPage & { file: string }>;
}
