import type { PDFDocument, PDFNumber } from 'pdf-lib';
import type { PdfSignatureField } from './signature.js';

/** One page of a PDF: its text layer and, for scans, the page's embedded image. */
export interface PdfPage {
  /** 1-based. */
  page: number;
  text: string;
  /** The largest image on the page, when it is a JPEG (DCTDecode) that OCR can read directly. */
  image: { bytes: Uint8Array; width: number; height: number } | null;
  /** Other images on the page that OCR cannot read as they are (e.g. Flate bitmaps), by filter. */
  otherImageFilters: string[];
  /** AcroForm signature fields (`/FT /Sig`) whose widget is on this page. */
  signatureFields: PdfSignatureField[];
}

/** Why a PDF cannot be read at all. */
export class PdfReadError extends Error {
  constructor(readonly reason: 'encrypted' | 'corrupt', message: string) {
    super(message);
    this.name = 'PdfReadError';
  }
}

/** pdf-lib, loaded at the first PDF read (an idle process does not hold it). */
type PdfLib = typeof import('pdf-lib');

function pageImages({ PDFDict, PDFName, PDFRawStream }: PdfLib, doc: PDFDocument, index: number): Pick<PdfPage, 'image' | 'otherImageFilters'> {
  const res = doc.getPages()[index]!.node.Resources();
  const xobjects = res?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  let image: PdfPage['image'] = null;
  const otherImageFilters: string[] = [];
  for (const [, ref] of xobjects?.entries() ?? []) {
    const stream = doc.context.lookup(ref);
    if (!(stream instanceof PDFRawStream)) continue;
    if (stream.dict.get(PDFName.of('Subtype'))?.toString() !== '/Image') continue;
    const filter = stream.dict.get(PDFName.of('Filter'))?.toString() ?? '(none)';
    const width = (stream.dict.get(PDFName.of('Width')) as PDFNumber | undefined)?.asNumber() ?? 0;
    const height = (stream.dict.get(PDFName.of('Height')) as PDFNumber | undefined)?.asNumber() ?? 0;
    if (filter === '/DCTDecode') {
      if (!image || width * height > image.width * image.height) image = { bytes: stream.contents, width, height };
    } else otherImageFilters.push(filter);
  }
  return { image, otherImageFilters };
}

/** Signature fields by 0-based page index: pdf-lib lists the AcroForm's `/Sig` fields; one with `/V` is signed. */
function signatureFields({ PDFName, PDFSignature }: PdfLib, doc: PDFDocument): Map<number, PdfSignatureField[]> {
  const out = new Map<number, PdfSignatureField[]>();
  if (!doc.catalog.get(PDFName.of('AcroForm'))) return out;
  try {
    const pages = doc.getPages();
    for (const field of doc.getForm().getFields()) {
      if (!(field instanceof PDFSignature)) continue;
      const signed = field.acroField.dict.get(PDFName.of('V')) !== undefined;
      for (const widget of field.acroField.getWidgets()) {
        const ref = doc.context.getObjectRef(widget.dict);
        const onPage = widget.P();
        let index = onPage ? pages.findIndex((p) => p.ref.toString() === onPage.toString()) : -1;
        if (index < 0 && ref) index = pages.findIndex((p) => p.node.Annots()?.asArray().some((a) => a.toString() === ref.toString()));
        const list = out.get(Math.max(index, 0)) ?? [];
        list.push({ name: field.getName(), signed });
        out.set(Math.max(index, 0), list);
      }
    }
  } catch {
    // A malformed form: its fields are not evidence either way; the text lines still are.
  }
  return out;
}

/**
 * The one page `page` (1-based) of a PDF as a PDF of its own, for a reviewer to open the page an
 * exception points at. @throws PdfReadError when the file cannot be read or has no such page.
 */
export async function pdfPageAlone(bytes: Uint8Array, page: number): Promise<Uint8Array> {
  const { PDFDocument, EncryptedPDFError } = await import('pdf-lib');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (err) {
    throw new PdfReadError(err instanceof EncryptedPDFError ? 'encrypted' : 'corrupt', `the file cannot be opened page by page: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (page < 1 || page > doc.getPageCount()) throw new PdfReadError('corrupt', `the file has ${doc.getPageCount()} page(s), not page ${page}`);
  const out = await PDFDocument.create();
  const [copied] = await out.copyPages(doc, [page - 1]);
  out.addPage(copied!);
  return out.save({ useObjectStreams: false });
}

/**
 * Reads a PDF page by page: text with unpdf, page images with pdf-lib (for OCR of scans).
 * @throws PdfReadError `encrypted` (password-protected) or `corrupt` (no header, broken structure).
 */
export async function readPdfPages(bytes: Uint8Array): Promise<PdfPage[]> {
  if (Buffer.from(bytes.subarray(0, 1024)).indexOf('%PDF-') < 0) throw new PdfReadError('corrupt', 'not a PDF: the %PDF header is missing (corrupt or renamed file)');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (/\/Encrypt\b/.test(buf.subarray(Math.max(0, buf.length - 65536)).toString('latin1'))) {
    throw new PdfReadError('encrypted', 'encrypted PDF: it is password-protected; ask for an unprotected copy');
  }
  const lib = await import('pdf-lib');
  const { PDFDocument, EncryptedPDFError } = lib;
  const { extractText, getDocumentProxy } = await import('unpdf');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (err) {
    if (err instanceof EncryptedPDFError) throw new PdfReadError('encrypted', 'encrypted PDF: it is password-protected; ask for an unprotected copy');
    throw new PdfReadError('corrupt', `corrupt PDF: ${err instanceof Error ? err.message : String(err)}`);
  }
  let texts: string[];
  try {
    const proxy = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    try {
      texts = (await extractText(proxy, { mergePages: false })).text;
    } finally {
      await proxy.destroy();
    }
  } catch (err) {
    if (err instanceof Error && err.name === 'PasswordException') throw new PdfReadError('encrypted', 'encrypted PDF: it is password-protected; ask for an unprotected copy');
    throw new PdfReadError('corrupt', `corrupt PDF: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (texts.length === 0) throw new PdfReadError('corrupt', 'corrupt PDF: it has no pages');
  const sigs = signatureFields(lib, doc);
  return texts.map((text, i) => ({ page: i + 1, text: text.replace(/[ \t]+\n/g, '\n').trim(), ...pageImages(lib, doc, i), signatureFields: sigs.get(i) ?? [] }));
}
