/**
 * Names that came from outside (a website visitor, caller ID, an email's display name, a CSV) are
 * cleaned before they are stored or quoted in a message, so a "name" cannot carry a link, a phone
 * number or invisible characters into a text the business sends.
 */
import { inspectOutbound } from './outbound-guard.js';
import { normaliseOutbound } from './outbound-text.js';

/** Longest name kept, in characters (longer names are cut at a word boundary). */
export const NAME_MAX_CHARS = 40;

/**
 * Cleans a person's name from an outside source.
 *
 * NFKC, invisible and control characters removed; a name that contains a link (any disguise the
 * outbound guard knows, e.g. `evil.example/verify-your-payment`) or a phone-number-like digit run
 * is refused outright. Otherwise words with digits, `@` or slashes are dropped, only letters, marks,
 * apostrophes, hyphens, dots and spaces are kept, whitespace is collapsed and the result is cut to
 * {@link NAME_MAX_CHARS} characters at a word boundary.
 * @returns the cleaned name, or null when nothing letter-like remains (or the name was refused).
 */
export function sanitizeName(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const text = normaliseOutbound(raw).replace(/\s+/g, ' ').trim();
  if (!text) return null;
  const found = inspectOutbound(text, { links: [], numbers: [] });
  if (found.foreignLinks.length > 0 || found.foreignNumbers.length > 0) return null;
  const words = text
    .split(' ')
    .filter((w) => !/[\d@/\\:]/.test(w))
    .map((w) => w.replace(/[^\p{L}\p{M}'’.-]/gu, ''))
    .filter((w) => /\p{L}/u.test(w));
  let name = '';
  for (const w of words) {
    const next = name ? `${name} ${w}` : w;
    if (next.length > NAME_MAX_CHARS) {
      if (!name) name = w.slice(0, NAME_MAX_CHARS);
      break;
    }
    name = next;
  }
  return /\p{L}/u.test(name) ? name : null;
}

/** The first word of a cleaned name, for greetings ("Hi Priya"); null when there is no usable name. */
export function firstName(raw: string | null | undefined): string | null {
  return sanitizeName(raw)?.split(' ')[0] ?? null;
}
