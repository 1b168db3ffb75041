import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, EncryptedPDFError } from 'pdf-lib';
import { extractText, getDocumentProxy } from 'unpdf';

/** One page of a PDF: its text layer and, for scans, the page's embedded image. */
export interface PdfPage {
  /** 1-based. */
  page: number;
  text: string;
  /** The largest image on the page, when it is a JPEG (DCTDecode) that OCR can read directly. */
  image: { bytes: Uint8Array; width: number; height: number } | null;
  /** Other images on the page that OCR cannot read as they are (e.g. Flate bitmaps), by filter. */
  otherImageFilters: string[];
}

/** Why a PDF cannot be read at all. */
export class PdfReadError extends Error {
  constructor(readonly reason: 'encrypted' | 'corrupt', message: string) {
    super(message);
    this.name = 'PdfReadError';
  }
}

function pageImages(doc: PDFDocument, index: number): Pick<PdfPage, 'image' | 'otherImageFilters'> {
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
  return texts.map((text, i) => ({ page: i + 1, text: text.replace(/[ \t]+\n/g, '\n').trim(), ...pageImages(doc, i) }));
}
