/**
 * Buffer's bulk-upload CSV (Buffer Help "Bulk upload posts"): a header row and one row a post with
 * the columns `Text`, `Image URL`, `Tags`, `Posting Time`. `Posting Time` is `YYYY-MM-DD HH:mm`
 * in the time zone of the Buffer channel the file is uploaded to; `Tags` are Buffer's own labels
 * (comma-separated), not hashtags. A file is uploaded to the channels chosen at upload, so AIOS
 * writes one file per platform.
 */
import { localParts } from '../../core/time-zone.js';

/** The columns, in Buffer's order. */
export const BUFFER_COLUMNS = ['Text', 'Image URL', 'Tags', 'Posting Time'] as const;

/** One post for the file. */
export interface BufferRow {
  text: string;
  imageUrl: string | null;
  /** Buffer tags (labels); joined with commas. */
  tags: readonly string[];
  at: Date;
}

/** RFC 4180 field: quoted when it holds a quote, comma, CR or LF; quotes doubled. */
function field(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function postingTime(at: Date, timeZone: string): string {
  const l = localParts(at, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${l.year}-${two(l.month)}-${two(l.day)} ${two(l.hour)}:${two(l.minute)}`;
}

/**
 * The CSV text of a Buffer bulk upload: header, then one row a post in time order, CRLF line ends
 * (RFC 4180), posting times in `timeZone` (the Buffer channel's zone).
 */
export function bufferCsv(rows: readonly BufferRow[], timeZone: string): string {
  const lines = [BUFFER_COLUMNS.join(',')];
  for (const r of [...rows].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    lines.push([r.text, r.imageUrl ?? '', r.tags.join(','), postingTime(r.at, timeZone)].map(field).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
