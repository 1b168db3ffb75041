import { isShortCode } from './short-codes.js';

/**
 * What the owner's SMS answer to a notice says. `code` is the approval's short code when given.
 * - `approve`: `YES`, `YES K7Q` (also `K7Q YES`);
 * - `reject`: `NO <reason>`, `NO K7Q <reason>` (also `K7Q NO <reason>`); `reason` may be empty;
 * - `edit`: `<edited text>` or `K7Q <edited text>` (at least two words, so a stray "ok?" is not sent);
 * - `unclear`: anything else (`YES please`, a lone code, one word).
 */
export type OwnerReply =
  | { kind: 'approve'; code: string | null }
  | { kind: 'reject'; code: string | null; reason: string }
  | { kind: 'edit'; code: string | null; body: string }
  | { kind: 'unclear' };

const YES = new Set(['YES', 'Y']);
const NO = new Set(['NO', 'N']);

/** The word without trailing punctuation, upper-cased: "Yes!" → "YES". */
const norm = (w: string | undefined) => (w ?? '').replace(/[.!,;:]+$/, '').toUpperCase();

/** Splits off the first word: ["YES", "K7Q too far"]. */
function firstWord(text: string): [string, string] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text);
  return m ? [m[1]!, m[2]!.trim()] : ['', ''];
}

/** Parses an answer (pure; whether the code is pending is checked by the caller). */
export function parseOwnerReply(raw: string): OwnerReply {
  const text = raw.trim();
  if (!text) return { kind: 'unclear' };
  let [word, rest] = firstWord(text);
  let code: string | null = null;
  if (isShortCode(norm(word)) && rest) {
    code = norm(word);
    const [next, after] = firstWord(rest);
    if (!YES.has(norm(next)) && !NO.has(norm(next))) return words(rest) >= 2 ? { kind: 'edit', code, body: rest } : { kind: 'unclear' };
    [word, rest] = [next, after];
  }
  if (YES.has(norm(word))) {
    if (!rest) return { kind: 'approve', code };
    if (!code && isShortCode(norm(rest))) return { kind: 'approve', code: norm(rest) };
    return { kind: 'unclear' };
  }
  if (NO.has(norm(word))) {
    if (!code) {
      const [maybe, after] = firstWord(rest);
      if (maybe && isShortCode(norm(maybe))) return { kind: 'reject', code: norm(maybe), reason: after };
    }
    return { kind: 'reject', code, reason: rest };
  }
  if (code) return { kind: 'unclear' };
  return words(text) >= 2 ? { kind: 'edit', code: null, body: text } : { kind: 'unclear' };
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
