/** Money amounts in free text ("$149", "149 dollars", "149,50 $", "CAD 1,249.00"). */

/** One amount found in text. */
export interface MoneyMention {
  /** The matched text, e.g. `$149`. */
  text: string;
  /** Integer cents. */
  cents: number;
  /** ISO currency when written (CAD, USD), else null. */
  currency: string | null;
  /** Character offset in the source text. */
  index: number;
}

const NUM = String.raw`(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?)`;
const PREFIX = String.raw`(CA\$|C\$|US\$|\$|CAD|USD)\s?` + NUM;
const SUFFIX = NUM + String.raw`\s?(\$|dollars?\b|CAD\b|USD\b|bucks\b|piasses?\b)`;
const MONEY_RE = new RegExp(`${PREFIX}|${SUFFIX}`, 'gi');

/** Parses "1,249.50", "1 249,50", "149,5", "149" into cents; null when not a number. */
export function parseAmountToCents(raw: string): number | null {
  let s = raw.replace(/[\s\u00a0\u202f]/g, '');
  if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(s)) s = s.replace(/,/g, '');
  else if (/^\d+,\d{1,2}$/.test(s)) s = s.replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
}

function currencyOf(token: string): string | null {
  const t = token.toUpperCase();
  if (t.startsWith('CA') || t === 'C$') return 'CAD';
  if (t.startsWith('US')) return 'USD';
  return null;
}

/** Every money amount in `text`, in order of appearance. Bare numbers without a currency sign are not money. */
export function findMoney(text: string): MoneyMention[] {
  const out: MoneyMention[] = [];
  for (const m of text.matchAll(MONEY_RE)) {
    const num = m[2] ?? m[3];
    const cur = m[1] ?? m[4] ?? '';
    if (!num) continue;
    const cents = parseAmountToCents(num);
    if (cents === null) continue;
    out.push({ text: m[0].trim(), cents, currency: currencyOf(cur), index: m.index ?? 0 });
  }
  return out;
}

/**
 * Reads a price cell of a table ("$149", "149", "from $95/hr", "149.00 CAD") → cents and the unit
 * written after a slash or "per". Bare numbers are accepted here because the column says "price".
 */
export function parsePriceCell(cell: string): { cents: number; currency: string | null; unit: string | null } | null {
  const money = findMoney(cell)[0];
  let cents = money?.cents ?? null;
  if (cents === null) {
    const bare = /(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?)/.exec(cell);
    cents = bare ? parseAmountToCents(bare[1]!) : null;
  }
  if (cents === null) return null;
  const unitMatch = /(?:\/|\bper\s+|\bpar\s+)([a-zà-ÿ][\w\sà-ÿ-]{0,30})/i.exec(cell);
  return { cents, currency: money?.currency ?? null, unit: unitMatch ? unitMatch[1]!.trim() : null };
}

/** Formats cents for people: `$149`, `$149.50`, with the currency appended when given. */
export function formatCents(cents: number, currency: string | null = null): string {
  const whole = cents % 100 === 0;
  const n = whole ? String(cents / 100) : (cents / 100).toFixed(2);
  return `$${n.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${currency ? ` ${currency}` : ''}`;
}
