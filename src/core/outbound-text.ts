/**
 * Text normalisation for the outbound guard: the steps that undo the usual disguises of links and
 * phone numbers (Unicode compatibility forms, invisible characters, `[.]`/`(dot)` obfuscation,
 * `hxxp`, other scripts' digits, spelled-out digits) so that one detector sees them all.
 * Pure functions, no dependencies.
 */

/** Invisible format characters (zero-width space/joiners, bidi controls, soft hyphen…) and controls except tab/newline. */
const INVISIBLE = /[\p{Cf}\u180E\u034F]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;

/**
 * NFKC (full-width `ｅｖｉｌ` → `evil`, `𝟱` → `5`, `①` → `1`) and removal of invisible characters.
 * This is the `normalised` text the guard reports; every check runs on it.
 */
export function normaliseOutbound(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '');
}

/** Decimal digits of any script (Arabic-Indic `٥`, Devanagari `५`…) → ASCII. */
function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (ch) => {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x30 && cp <= 0x39) return ch;
    // Unicode encodes every decimal digit set as a contiguous run starting at zero.
    let k = 0;
    while (k < 60 && /\p{Nd}/u.test(String.fromCodePoint(cp - k - 1))) k++;
    return String(k % 10);
  });
}

const DIGIT_WORDS: Record<string, string> = {
  zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', niner: '9',
  zéro: '0', deux: '2', trois: '3', quatre: '4', cinq: '5', sept: '7', huit: '8', neuf: '9',
};
const WORD = Object.keys(DIGIT_WORDS).join('|');
const WORD_RE = new RegExp(`(?<![\\p{L}])(?:(double|triple)[\\s-]+)?(${WORD})(?![\\p{L}])`, 'giu');
const WORD_COMMA_RE = new RegExp(`(?<![\\p{L}])(${WORD})\\s*,\\s*(?=(?:${WORD})(?![\\p{L}]))`, 'giu');

/** Spelled-out digits ("five five five oh one", "double two") → digits; commas between them become spaces. */
function spelledDigits(text: string): string {
  let out = text;
  for (let i = 0; i < 3; i++) out = out.replace(WORD_COMMA_RE, '$1 ');
  return out.replace(WORD_RE, (_m, mult: string | undefined, w: string) => DIGIT_WORDS[w.toLowerCase()]!.repeat(mult ? (mult.toLowerCase() === 'double' ? 2 : 3) : 1));
}

/** Letters that stand in for digits in or next to a digit group: `555-O1OO` → `555-0100`, `555-OOOl` → `555-0001`. */
function letterDigits(text: string): string {
  return text
    .replace(/(?<![\p{L}])(?=[OoIl]*\d)[\dOoIl]+(?![\p{L}])/gu, (t) => t.replace(/[Oo]/g, '0').replace(/[Il]/g, '1'))
    .replace(/(?<=\d[\s.\-()]{0,3})[OoIl]{2,}(?![\p{L}])|(?<![\p{L}])[OoIl]{2,}(?=[\s.\-()]{0,3}\d)/gu, (t) => t.replace(/[Oo]/g, '0').replace(/[Il]/g, '1'));
}

/** Common top-level domains, for the spaced `evil dot com` form (a bare " dot " is too common in prose otherwise). */
const SPACED_TLDS = 'com|net|org|info|biz|io|co|ca|us|uk|me|ly|app|link|site|online|xyz|top|club|shop|store|example|ru|cn|de|fr';

/**
 * The text as a link/number detector should read it: {@link normaliseOutbound}, then
 * dot and slash obfuscations (`[.]`, `(dot)`, `{dot}`, `evil dot com`, `。`), `hxxp`/`h**p`,
 * other scripts' digits, spelled-out digits and letter-for-digit swaps undone. Lower-cased
 * where case does not matter for detection is left to the detectors.
 */
export function detectionText(normalised: string): string {
  let t = normalised
    .replace(/[\u3002\uFF61\uFE12\u2024\uFE52]/g, '.')
    .replace(/\s*[[({<]\s*(?:\.|dot|punto|point)\s*[\])}>]\s*/giu, '.')
    .replace(/\s*[[({<]\s*(?::|colon)\s*[\])}>]\s*/giu, ':')
    .replace(/\s*[[({<]\s*(?:\/|slash)\s*[\])}>]\s*/giu, '/')
    .replace(new RegExp(`(?<=[\\p{L}\\p{N}])\\s+dot\\s+(?=(?:${SPACED_TLDS})(?![\\p{L}]))`, 'giu'), '.')
    .replace(/(?<=[\p{L}\p{N}])\s+\.\s*(?=[\p{L}\p{N}])/gu, '.')
    .replace(/\bh(?:xx|\*\*|tt|XX)p(s?)(?=\s*[:[(])/gi, 'http$1')
    .replace(/\bf[x*]p(?=\s*[:[(])/gi, 'ftp');
  t = asciiDigits(t);
  t = spelledDigits(t);
  t = letterDigits(t);
  return t;
}
