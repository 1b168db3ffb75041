import { extname } from 'node:path';
import { classifyText } from './classify.js';
import { documentType } from './document-types.js';
import { extractFields } from './fields.js';
import { imageSize } from './image-size.js';
import type { Ocr } from './ocr.js';
import { PdfReadError, readPdfPages } from './pdf-pages.js';
import { findSignatures, isSigned } from './signature.js';
import { splitPages } from './split.js';
import type { PageSource, ReadDocument, ReadPackage, ReadPage, UnreadableFile } from './types.js';

/** One input file: its name (for evidence) and bytes. */
export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

/** Smallest image side (px) OCR is attempted on; below it the image is reported too small. */
export const MIN_IMAGE_SIDE_PX = 300;
/** A page with fewer text characters than this is treated as scanned (OCR is used). */
export const MIN_TEXT_CHARS = 30;
/** OCR output shorter than this, or below `MIN_OCR_CONFIDENCE`, is reported unreadable. */
const MIN_OCR_CHARS = 20;
const MIN_OCR_CONFIDENCE = 30;

async function ocrPage(ocr: Ocr | null, page: number, image: Uint8Array, width: number, height: number): Promise<ReadPage> {
  if (Math.min(width, height) < MIN_IMAGE_SIDE_PX) {
    return { page, text: '', source: 'none', ocrConfidence: null, problem: `image too small to read (${width}×${height} px; at least ${MIN_IMAGE_SIDE_PX} px a side): ask for a clearer scan` };
  }
  if (!ocr) return { page, text: '', source: 'none', ocrConfidence: null, problem: 'scanned page and OCR is off: read with OCR on' };
  const { text, confidence } = await ocr.recognize(image);
  const unreadable = text.replace(/\W/g, '').length < MIN_OCR_CHARS || confidence < MIN_OCR_CONFIDENCE;
  return { page, text, source: 'ocr', ocrConfidence: confidence, problem: unreadable ? `no readable text on the scan (OCR confidence ${Math.round(confidence)}%): ask for a clearer scan` : null };
}

async function readFilePages(file: InputFile, ocr: Ocr | null): Promise<ReadPage[]> {
  const ext = extname(file.name).toLowerCase();
  if (ext === '.pdf') {
    const pages: ReadPage[] = [];
    for (const p of await readPdfPages(file.bytes)) {
      const signatureFields = p.signatureFields;
      if (p.text.length >= MIN_TEXT_CHARS) pages.push({ page: p.page, text: p.text, source: 'text', ocrConfidence: null, problem: null, signatureFields });
      else if (p.image) pages.push({ ...(await ocrPage(ocr, p.page, p.image.bytes, p.image.width, p.image.height)), signatureFields });
      else {
        const why = p.otherImageFilters.length ? `a scan in a format OCR cannot read (${p.otherImageFilters.join(', ')}): ask for a JPEG or PNG scan` : 'no text and no image on the page';
        pages.push({ page: p.page, text: p.text, source: 'none', ocrConfidence: null, problem: why, signatureFields });
      }
    }
    return pages;
  }
  const size = imageSize(file.bytes);
  if (!size) throw new UnreadableInput('unsupported', `unsupported file "${file.name}": send PDF, PNG or JPEG`);
  return [await ocrPage(ocr, 1, file.bytes, size.width, size.height)];
}

class UnreadableInput extends Error {
  constructor(readonly reason: UnreadableFile['reason'], message: string) {
    super(message);
  }
}

function toDocument(file: string, type: string, pages: ReadPage[]): ReadDocument {
  const text = pages.map((p) => p.text).join('\n\n');
  const whole = classifyText(text);
  const finalType = whole.type !== 'unknown' ? whole.type : type;
  const fields = extractFields(finalType, pages);
  const rule = documentType(finalType);
  const blank = !!rule && rule.keyFields.every((f) => !fields[f]);
  const signatures = findSignatures(pages);
  const sources = new Set(pages.map((p) => p.source));
  const source: PageSource = sources.has('ocr') ? 'ocr' : sources.has('text') ? 'text' : 'none';
  return { id: `${file}#${pages[0]!.page}`, file, pages: pages.map((p) => p.page), type: finalType, score: whole.score, fields, signed: isSigned(signatures), signatures, blank, text, source };
}

/**
 * Reads a package: PDFs (text layer, OCR for scanned pages) and images (OCR), splits combined
 * files into documents, classifies each and extracts its key fields. Files that cannot be read
 * (encrypted, corrupt, unsupported, too small) are listed in `unreadable`, never dropped; pages
 * that cannot be read become documents of type `unknown` whose `problem` says why.
 * @param ocr an OCR engine (`createOcr()`), or null to skip scanned pages (they are reported).
 */
export async function readPackage(files: readonly InputFile[], ocr: Ocr | null): Promise<ReadPackage> {
  const documents: ReadDocument[] = [];
  const unreadable: UnreadableFile[] = [];
  const pageProblems: ReadPackage['pageProblems'] = [];
  const pageCounts: Record<PageSource, number> = { text: 0, ocr: 0, none: 0 };
  const allPages: ReadPackage['pages'] = [];
  for (const file of files) {
    let pages: ReadPage[];
    try {
      pages = await readFilePages(file, ocr);
    } catch (err) {
      if (err instanceof PdfReadError || err instanceof UnreadableInput) unreadable.push({ file: file.name, reason: err.reason, message: err.message });
      else unreadable.push({ file: file.name, reason: 'unreadable', message: `cannot be read: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    for (const p of pages) {
      pageCounts[p.source] += 1;
      allPages.push({ ...p, file: file.name });
      if (p.problem) pageProblems.push({ file: file.name, page: p.page, problem: p.problem });
    }
    if (pages.every((p) => p.problem)) {
      const tooSmall = pages.every((p) => p.problem?.startsWith('image too small'));
      unreadable.push({ file: file.name, reason: tooSmall ? 'too-small' : 'unreadable', message: pages[0]!.problem! });
      continue;
    }
    for (const group of splitPages(pages.filter((p) => !p.problem))) documents.push(toDocument(file.name, group.type, group.pages));
  }
  return { documents, unreadable, pageCounts, pageProblems, pages: allPages };
}
