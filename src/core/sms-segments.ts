/**
 * SMS segment arithmetic (3GPP TS 23.038, the GSM 03.38 default alphabet). Carriers, and Twilio,
 * bill per segment, so every outbound text is measured here. Pure.
 *
 * - GSM-7: 160 septets in one segment, 153 per segment when concatenated (the rest of each
 *   segment is the concatenation header). Characters of the extension table (`^{}\[~]|€` and form
 *   feed) take 2 septets (escape + character) and never straddle two segments.
 * - UCS-2 (any character outside the GSM alphabet): 70 UTF-16 code units in one segment, 67 when
 *   concatenated. A character outside the Basic Multilingual Plane (an emoji) is a surrogate pair,
 *   2 units, and is never split across segments.
 */

/** The GSM 03.38 default alphabet (1 septet each). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The GSM 03.38 extension table (2 septets each: escape + character). */
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

/** The measured size of one SMS text. */
export interface SegmentCount {
  /** GSM-7 when every character is in the GSM alphabet, otherwise UCS-2. */
  encoding: 'GSM-7' | 'UCS-2';
  /** Billable segments (0 for an empty text). */
  segments: number;
  /** Total size: septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  /** Capacity of each segment in `units` (160/153 for GSM-7, 70/67 for UCS-2). */
  unitsPerSegment: number;
  /** The distinct characters that force UCS-2, in order of first appearance (empty for GSM-7). */
  ucs2Chars: string[];
}

/** True when `ch` (one code point) is in the GSM 03.38 alphabet or its extension table. */
export function isGsmChar(ch: string): boolean {
  return BASIC.has(ch) || EXTENSION.has(ch);
}

/** Fills segments of `capacity` units with indivisible characters of the given sizes. */
function pack(sizes: number[], capacity: number): number {
  let segments = 1;
  let used = 0;
  for (const s of sizes) {
    if (used + s > capacity) {
      segments++;
      used = 0;
    }
    used += s;
  }
  return segments;
}

/**
 * Counts the SMS segments `text` is sent as. Characters are taken by code point, so an emoji is
 * one indivisible 2-unit character in UCS-2.
 */
export function countSegments(text: string): SegmentCount {
  const chars = Array.from(text);
  const ucs2Chars = [...new Set(chars.filter((c) => !isGsmChar(c)))];
  const gsm = ucs2Chars.length === 0;
  const sizes = chars.map((c) => (gsm ? (EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = sizes.reduce((a, b) => a + b, 0);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  if (units === 0) return { encoding, segments: 0, units, unitsPerSegment: single, ucs2Chars };
  if (units <= single) return { encoding, segments: 1, units, unitsPerSegment: single, ucs2Chars };
  return { encoding, segments: pack(sizes, multi), units, unitsPerSegment: multi, ucs2Chars };
}

/** Typographic characters and their GSM equivalents (what "smart encoding" does). */
const REPLACEMENTS: Record<string, string> = {
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u201F': '"', '\u2033': '"', '\u00AB': '"', '\u00BB': '"',
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'", '\u2032': "'", '\u2039': "'", '\u203A': "'", '\u02BC': "'",
  '\u2014': '-', '\u2013': '-', '\u2012': '-', '\u2011': '-', '\u2010': '-', '\u2212': '-', '\u2015': '-',
  '\u2026': '...', '\u2022': '-', '\u00B7': '-', '\u00D7': 'x', '\u2044': '/', '\t': ' ',
  '\u00A0': ' ', '\u2000': ' ', '\u2001': ' ', '\u2002': ' ', '\u2003': ' ', '\u2004': ' ', '\u2005': ' ',
  '\u2006': ' ', '\u2007': ' ', '\u2008': ' ', '\u2009': ' ', '\u200A': ' ', '\u202F': ' ', '\u205F': ' ', '\u3000': ' ',
  '\u200B': '', '\u200C': '', '\u200D': '', '\u2060': '', '\uFEFF': '', '\u00AD': '',
};

/**
 * Replaces typographic characters that would force UCS-2 by their GSM equivalents: curly quotes
 * → straight quotes, em/en dashes → "-", ellipsis → "...", bullet → "-", non-breaking and other
 * wide spaces → space, zero-width characters and soft hyphens removed. Other characters (accented
 * letters of names, emoji) are kept: they are content, not typography.
 */
export function toGsmFriendly(text: string): string {
  let out = '';
  for (const ch of text) out += REPLACEMENTS[ch] ?? ch;
  return out;
}

/** An invisible character (space, control, zero-width) as "U+00A0", others as themselves. */
function visible(ch: string): string {
  return /^[\p{Z}\p{C}]$/u.test(ch) ? `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : ch;
}

/** "1 SMS segment (GSM-7)" or "4 SMS segments (UCS-2 because of —, “)": for approvals and notices. */
export function describeSegments(c: SegmentCount): string {
  const n = `${c.segments} SMS segment${c.segments === 1 ? '' : 's'}`;
  if (c.encoding === 'GSM-7') return `${n} (GSM-7)`;
  const shown = c.ucs2Chars.slice(0, 5).map(visible).join(' ');
  return `${n} (UCS-2 because of ${shown}${c.ucs2Chars.length > 5 ? ' …' : ''})`;
}
