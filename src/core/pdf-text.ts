import type { Color, PDFDocument, PDFFont, PDFPage } from 'pdf-lib';

/** Text a pdf-lib standard font (Helvetica) can draw: other characters become close ASCII or `?`. */
export function drawable(font: PDFFont, text: string): string {
  const ok = new Set(font.getCharacterSet());
  const map: Record<string, string> = { '\u2192': '->', '\u2190': '<-', '\u00d7': 'x', '\u00f7': '/', '\u2264': '<=', '\u2265': '>=', '\u00a0': ' ', '\u202f': ' ', '\u2013': '-', '\u2014': '-', '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"' };
  return [...text].map((ch) => (ok.has(ch.codePointAt(0)!) ? ch : map[ch] ?? '?')).join('');
}

/**
 * Splits `text` into lines no wider than `width` points at `size` pt; each line break of `text`
 * starts a new line, and a word too long for a line keeps a line of its own.
 */
export function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split(/\r?\n/)) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
      else {
        out.push(line);
        line = word;
      }
    }
    out.push(line);
  }
  return out;
}

/** A US Letter page in points, with its margin. */
export const LETTER = { w: 612, h: 792, margin: 54 };

/**
 * Writes top to bottom over as many pages as it needs: `room(h)` starts a new page when `h`
 * points do not fit any more; `para` wraps and draws a paragraph (text made {@link drawable}).
 * `y` is the current baseline; callers drawing by hand move it down themselves.
 */
export class PdfFlow {
  page: PDFPage;
  y: number;
  readonly width: number;
  constructor(private readonly doc: PDFDocument, private readonly font: PDFFont, private readonly rgb: (r: number, g: number, b: number) => Color, private readonly size = LETTER) {
    this.page = doc.addPage([size.w, size.h]);
    this.y = size.h - size.margin;
    this.width = size.w - 2 * size.margin;
  }
  get left(): number {
    return this.size.margin;
  }
  room(h: number): void {
    if (this.y - h < this.size.margin) {
      this.page = this.doc.addPage([this.size.w, this.size.h]);
      this.y = this.size.h - this.size.margin;
    }
  }
  para(s: string, size = 10, f: PDFFont = this.font, indent = 0, gray = false): void {
    for (const l of wrap(f, drawable(f, s), size, this.width - indent)) {
      this.room(size + 4);
      this.page.drawText(l, { x: this.size.margin + indent, y: this.y, size, font: f, color: gray ? this.rgb(0.4, 0.4, 0.4) : this.rgb(0, 0, 0) });
      this.y -= size + 4;
    }
  }
}
