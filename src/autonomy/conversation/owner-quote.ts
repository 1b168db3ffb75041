import { cleanText } from '../../core/clean-text.js';

/**
 * A customer's words made safe to quote in a text to the owner: control characters removed,
 * whitespace collapsed to single spaces, double quotes turned into single ones (the quote cannot
 * be closed early), links defanged (`https[:]//evil[.]example`, so the owner's phone does not make
 * them tappable), and shortened to `max` characters with "...".
 * @param max longest result, in characters (at least 10).
 */
export function quoteForOwner(text: string, max: number): string {
  let s = cleanText(text).replace(/\s+/g, ' ').trim().replace(/["\u201c\u201d\u00ab\u00bb]/g, "'");
  s = s.replace(/:\/\//g, '[:]//').replace(/([\p{L}\p{N}])\.(?=[\p{L}]{2,})/gu, '$1[.]');
  const room = Math.max(10, max);
  return s.length > room ? `${s.slice(0, room - 3).trimEnd()}...` : s;
}
