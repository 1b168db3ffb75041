import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFHexString, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import type { InputFile } from '../../src/knowledge/documents/index.js';
import { sharedDataDir } from './shared-data.js';

/**
 * The shared mortgage documents (`mortgage/` of the shared test data: `AIOS_SHARED_DATA`,
 * `../shared/data` beside the checkout, or `/work/shared/data`); missing data fails the test,
 * never skips it.
 */
export const MORTGAGE_DIR = join(sharedDataDir() ?? join(process.cwd(), '..', 'shared', 'data'), 'mortgage');

/** One shared mortgage file as an input file; throws (test fails) when the data is absent. */
export function mortgageFile(name: string): InputFile {
  const path = join(MORTGAGE_DIR, name);
  if (!existsSync(path)) throw new Error(`shared mortgage data missing: ${path} (set AIOS_SHARED_DATA, or check out beside shared/; see shared/data/README.md)`);
  return { name, bytes: new Uint8Array(readFileSync(path)) };
}

/** A one-page text PDF with the given lines (Helvetica 11 pt), as a package document would be. */
export async function textPdf(name: string, lines: readonly string[]): Promise<InputFile> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  lines.forEach((line, i) => page.drawText(line, { x: 50, y: 740 - i * 16, size: 11, font }));
  return { name, bytes: await doc.save({ useObjectStreams: false }) };
}

/**
 * A one-page text PDF with an AcroForm signature field (`/FT /Sig`) named `field`; when `signedBy`
 * is given the field carries a signature value (`/V`, a `/Sig` dictionary as a signing tool writes).
 */
export async function signatureFieldPdf(name: string, lines: readonly string[], field: string, signedBy?: string): Promise<InputFile> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  lines.forEach((line, i) => page.drawText(line, { x: 50, y: 740 - i * 16, size: 11, font }));
  const ctx = doc.context;
  const widget = ctx.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: PDFString.of(field), Rect: [50, 80, 300, 120], F: 4, P: page.ref });
  if (signedBy) {
    widget.set(PDFName.of('V'), ctx.register(ctx.obj({ Type: 'Sig', Filter: 'Adobe.PPKLite', SubFilter: 'adbe.pkcs7.detached', Name: PDFString.of(signedBy), M: PDFString.of('D:20130220120000Z'), ByteRange: [0, 0, 0, 0], Contents: PDFHexString.of('00') })));
  }
  const ref = ctx.register(widget);
  page.node.addAnnot(ref);
  doc.getForm().acroForm.addField(ref);
  return { name, bytes: await doc.save({ useObjectStreams: false, updateFieldAppearances: false }) };
}

/** A real PDF whose trailer names an /Encrypt dictionary: what a password-protected file looks like to a reader. */
export async function encryptedPdf(name: string): Promise<InputFile> {
  const plain = Buffer.from((await textPdf(name, ['Secret'])).bytes).toString('latin1');
  if (!plain.includes('trailer\n<<')) throw new Error('pdf-lib wrote no classic trailer');
  return { name, bytes: new Uint8Array(Buffer.from(plain.replace('trailer\n<<', 'trailer\n<< /Encrypt << /Filter /Standard /V 1 /R 2 /O (x) /U (x) /P -4 >>'), 'latin1')) };
}

/** A valid grey PNG of the given size (white), for "too small to read" cases. */
export function whitePng(width: number, height: number): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 0;
  const rows = Buffer.alloc((width + 1) * height, 0xff);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0;
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]));
}
