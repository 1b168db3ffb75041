/**
 * Buffer's bulk-upload CSV. Format per Buffer's Help Center article "Bulk upload posts"
 * (support.buffer.com, article 926; read here through a summary of it, checked Sep 2026):
 * - header row, exactly (case-sensitive): `Text,Image URL,Tags,Posting Time`;
 * - `Posting Time` is `YYYY-MM-DD HH:mm`, 24-hour, in the time zone of the Buffer channel the
 *   file is uploaded to;
 * - `Image URL` is a direct, public link to a `.jpg`/`.png` (at most 5 MB); empty for none;
 * - `Tags` are Buffer's own labels (comma-separated in the one field), not hashtags;
 * - one channel per upload, at most 100 posts per file on paid plans (10 on Free).
 * AIOS therefore writes one file per platform. Fields are written by `csv-stringify` (RFC 4180:
 * quoted when needed, quotes doubled, CRLF line ends), so commas, quotes, line breaks and emoji in
 * a post survive a spreadsheet or Buffer's parser.
 */
import { stringify } from 'csv-stringify/sync';
import { localParts } from '../../core/time-zone.js';

/** The columns, in Buffer's order. */
export const BUFFER_COLUMNS = ['Text', 'Image URL', 'Tags', 'Posting Time'] as const;

/** Most posts Buffer takes in one bulk-upload file (paid plans). */
export const BUFFER_MAX_ROWS = 100;

/** One post for the file. */
export interface BufferRow {
  text: string;
  imageUrl: string | null;
  /** Buffer tags (labels); joined with commas. */
  tags: readonly string[];
  at: Date;
}

function postingTime(at: Date, timeZone: string): string {
  const l = localParts(at, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${l.year}-${two(l.month)}-${two(l.day)} ${two(l.hour)}:${two(l.minute)}`;
}

/**
 * The CSV text of a Buffer bulk upload: header, then one row a post in time order (the first
 * {@link BUFFER_MAX_ROWS}), CRLF line ends, posting times in `timeZone` (the Buffer channel's zone).
 */
export function bufferCsv(rows: readonly BufferRow[], timeZone: string): string {
  const sorted = [...rows].sort((a, b) => a.at.getTime() - b.at.getTime()).slice(0, BUFFER_MAX_ROWS);
  return stringify(sorted.map((r) => [r.text, r.imageUrl ?? '', r.tags.join(','), postingTime(r.at, timeZone)]), {
    header: true, columns: [...BUFFER_COLUMNS], record_delimiter: 'windows',
  });
}
