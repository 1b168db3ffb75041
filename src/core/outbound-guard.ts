/**
 * The outbound guard: one check on every message AIOS sends, whoever wrote it (template, model,
 * API or MCP caller, owner edit). The text is normalised first (NFKC, invisible characters
 * removed, common obfuscations undone — see `outbound-text.ts`); then every link and every phone
 * number in it that is not the business's own is reported. The policy turns any finding into a
 * reason that forces approval (`foreign_link`, `foreign_number`). Pure, deterministic, no I/O.
 */
import { detectionText, normaliseOutbound } from './outbound-text.js';

/** What the business itself may put in a message. */
export interface OutboundAllowList {
  /** Hosts (`book.example`) or URLs (`https://book.example/acme`: then only that path and below). */
  links: string[];
  /** Phone numbers, E.164 (`+14165550100`); matched in any written format (`(416) 555-0100`, `555-0100`). */
  numbers: string[];
}

/** What the guard found in one text. */
export interface OutboundFindings {
  /** The text as checked: NFKC, invisible characters removed. */
  normalised: string;
  /** Links other than the allowed ones, as read after de-obfuscation (e.g. `http://evil.example/pay`). */
  foreignLinks: string[];
  /** Phone-number-like digit runs (7+ digits) other than the allowed numbers, as read (e.g. `+15550009999`). */
  foreignNumbers: string[];
}

interface AllowedLink {
  host: string;
  /** Path prefix without trailing slash; '' allows the whole host. */
  path: string;
}

/** Scheme URLs (`http://`, `hxxps://` once de-obfuscated, `ftp://`, `file:\\`…). */
const SCHEME_URL = /(?<![\p{L}\p{N}])[a-z][a-z0-9+.-]{0,15}:\s*[/\\]{2}[^\s<>"']*/giu;
/** Host names with at least one dot and a letter TLD (any script, or punycode), with optional port and path. */
const DOMAIN =
  /(?<![\p{L}\p{N}\p{M}_.-])(?:[\p{L}\p{N}\p{M}][\p{L}\p{N}\p{M}_-]{0,62}\.)+(?:xn--[a-z0-9-]{1,59}|\p{L}[\p{L}\p{M}]{1,62})(?![\p{L}\p{N}\p{M}_-])(?::\d{1,5})?(?:[/?#][^\s<>"']*)?/giu;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** Bare IPv4 addresses. */
const IPV4 = new RegExp(`(?<![\\d.])${OCTET}(?:\\.${OCTET}){3}(?!\\d|\\.\\d)(?::\\d{1,5})?(?:[/?#][^\\s<>"']*)?`, 'g');
/** Digit runs: digits joined by at most three separator characters (space, dot, dashes, brackets, slash…). */
const DIGIT_RUN = /\+?\d(?:[\s.\-\u2010-\u2015()[\]/_*\u00B7\u2022~]{0,3}\d)*/g;
const TRAILING = /[.,;:!?)\]}'"»…]+$/u;

/** Lower-cased host without a trailing dot or a leading `www.`. */
function bareHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '').replace(/^www\d?\./, '');
}

function parseAllowed(entry: string): AllowedLink | null {
  const raw = entry.trim();
  if (!raw) return null;
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    return { host: bareHost(u.hostname), path: u.pathname.replace(/\/+$/, '') };
  } catch {
    return null;
  }
}

/** Whether a link found in the text is one of the business's own (http/https, no user info, host and path prefix match). */
function isAllowedLink(found: string, hasScheme: boolean, allowed: AllowedLink[]): boolean {
  let u: URL;
  try {
    u = new URL(hasScheme ? found : `http://${found}`);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (u.username || u.password) return false;
  const host = bareHost(u.hostname);
  const path = u.pathname.replace(/\/+$/, '');
  return allowed.some((a) => a.host === host && (a.path === '' || path === a.path || path.startsWith(`${a.path}/`)));
}

/** Replaces [start, end) with spaces, keeping every other index where it was. */
function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

function blankAll(text: string, re: RegExp, keep?: (m: RegExpMatchArray) => boolean): string {
  let out = text;
  for (const m of text.matchAll(re)) if (!keep || !keep(m)) out = blank(out, m.index!, m.index! + m[0].length);
  return out;
}

const inRange = (v: string, lo: number, hi: number) => Number(v) >= lo && Number(v) <= hi;

/** Dates, year ranges and amounts of money are not phone numbers: blanked before digit runs are read. */
function withoutDatesAndMoney(text: string): string {
  let t = blankAll(text, /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g, (m) => !(inRange(m[1]!, 1900, 2099) && inRange(m[2]!, 1, 12) && inRange(m[3]!, 1, 31)));
  t = blankAll(t, /(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?!\d)/g, (m) => !(inRange(m[1]!, 1, 31) && inRange(m[2]!, 1, 31) && (m[3]!.length === 2 || inRange(m[3]!, 1900, 2099))));
  t = blankAll(t, /(?<!\d)(?:19|20)\d{2}\s?[-\u2013\u2014/]\s?(?:19|20)\d{2}(?!\d)/g);
  t = blankAll(t, /(?:[$€£¥₹]|\b(?:CAD|USD|EUR|GBP))\s?(?:\d{1,3}(?:,\d{3})+|\d{1,6})(?:\.\d{1,2})?(?![\d,])/g);
  t = blankAll(t, /(?<![\d\s])\d{1,3}(?:[ \u00A0\u202F]\d{3})*(?:,\d{1,2})?\s?[$€£]/g);
  return t;
}

/** Digits of an allowed number in the forms people write it: full (country code), and the national part is matched by suffix. */
function isOwnDigits(d: string, own: string[]): boolean {
  const x = d.startsWith('00') ? d.slice(2) : d;
  return own.some((a) => a === x || (x.length >= 7 && a.endsWith(x)) || (x.startsWith('0') && x.length >= 8 && a.endsWith(x.slice(1))));
}

/** A run is the business's own when it is an own number, possibly next to a short group that is no phone number ("… 0100 7 days"). */
function isOwnRun(d: string, own: string[]): boolean {
  if (isOwnDigits(d, own)) return true;
  for (let k = 7; k < d.length; k++) {
    if (d.length - k < 7 && (isOwnDigits(d.slice(0, k), own) || isOwnDigits(d.slice(d.length - k), own))) return true;
  }
  return false;
}

/**
 * Finds the links and phone numbers in an outgoing text that are not the business's own.
 *
 * Links: scheme URLs (any scheme: `http`, `ftp`, de-obfuscated `hxxp`), `www.` and bare domains
 * (`evil.example/pay`, IDN and punycode hosts), bare IPv4 addresses; an allowed link matches by
 * host (ignoring `www.`) and, when the allowed entry has a path, by that path prefix. A URL with
 * user info (`https://own.example@evil.example`) is never allowed.
 *
 * Numbers: any run of 7 or more digits joined by spaces, dots, dashes, brackets or slashes, after
 * mapping full-width and other scripts' digits, spelled-out digits ("five five five oh one") and
 * letters standing in for digits (`O`, `l`). Dates (`2026-12-01`, `12/01/2026`), year ranges and
 * amounts of money (`$1,250.00`, `180 $`) are not numbers; times, prices and short counts never
 * make 7 digits. An allowed number matches in full or by its last 7+ digits (`555-0100`).
 *
 * @param text the message as it would be sent.
 * @param allowed the business's own links and numbers (see {@link OutboundAllowList}).
 * @returns the normalised text and the foreign links and numbers, each listed once, in order.
 */
export function inspectOutbound(text: string, allowed: OutboundAllowList): OutboundFindings {
  const normalised = normaliseOutbound(text);
  let t = detectionText(normalised);
  const links = allowed.links.map(parseAllowed).filter((a): a is AllowedLink => a !== null);
  const own = allowed.numbers.map((n) => n.replace(/\D/g, '')).filter((n) => n.length >= 7);
  const foreignLinks = new Set<string>();
  const foreignNumbers = new Set<string>();

  const scan = (re: RegExp, hasScheme: boolean) => {
    for (const m of t.matchAll(re)) {
      const found = m[0].replace(TRAILING, '');
      if (!found) continue;
      if (!isAllowedLink(found, hasScheme, links)) foreignLinks.add(found);
      t = blank(t, m.index!, m.index! + m[0].length);
    }
  };
  scan(SCHEME_URL, true);
  scan(DOMAIN, false);
  scan(IPV4, false);

  for (const m of withoutDatesAndMoney(t).matchAll(DIGIT_RUN)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 7 && !isOwnRun(digits, own)) foreignNumbers.add(m[0].trim());
  }
  return { normalised, foreignLinks: [...foreignLinks], foreignNumbers: [...foreignNumbers] };
}

/** True when the guard found nothing foreign. */
export function isClean(f: OutboundFindings): boolean {
  return f.foreignLinks.length === 0 && f.foreignNumbers.length === 0;
}
