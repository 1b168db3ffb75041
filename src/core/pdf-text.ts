import type { PDFFont } from 'pdf-lib';

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
