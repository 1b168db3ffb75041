/**
 * Text hygiene for everything that comes from outside (webhooks, forms, the widget, JSON bodies).
 *
 * PostgreSQL refuses U+0000 in `text` columns and in `jsonb`, and refuses lone surrogates in
 * `jsonb`, so one such character would turn a customer's message into a 500 and lose it. Other
 * control characters and bidirectional overrides are never meaningful in a name or an SMS and can
 * disguise what the owner reads. They are removed here, once, where input is parsed.
 */

/**
 * What {@link cleanText} removes:
 * - C0 controls U+0000–U+001F except TAB, LF and CR; DEL U+007F; C1 controls U+0080–U+009F;
 * - lone (unpaired) UTF-16 surrogates;
 * - noncharacters U+FDD0–U+FDEF and U+xFFFE / U+xFFFF of every plane;
 * - bidirectional embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069 (the marks
 *   U+200E/U+200F that right-to-left text needs are kept).
 */
const UNWANTED =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/g;

/** The text without the characters listed at {@link UNWANTED}; everything else is kept as is. */
export function cleanText(text: string): string {
  UNWANTED.lastIndex = 0;
  return UNWANTED.test(text) ? text.replace(UNWANTED, '') : text;
}

/** True when {@link cleanText} would change `text`. */
export function needsCleaning(text: string): boolean {
  UNWANTED.lastIndex = 0;
  return UNWANTED.test(text);
}

/**
 * A copy of a parsed value (JSON, form fields) with {@link cleanText} applied to every string,
 * object keys included, at any depth. Numbers, booleans and null are returned unchanged; a value
 * with nothing to clean is returned as the same object.
 */
export function cleanDeep<T>(value: T): T {
  return deep(value) as T;
}

function deep(v: unknown): unknown {
  if (typeof v === 'string') return cleanText(v);
  if (Array.isArray(v)) {
    let changed = false;
    const out = v.map((x) => {
      const y = deep(x);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? out : v;
  }
  if (v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const key = cleanText(k);
      const y = deep(x);
      if (key !== k || y !== x) changed = true;
      out[key] = y;
    }
    return changed ? out : v;
  }
  return v;
}

/** A request body kept verbatim on an event, base64 of its UTF-8 bytes. */
export interface RawBody {
  encoding: 'base64';
  base64: string;
}

/**
 * The raw request body to keep on an event when cleaning changed what was parsed from it, so the
 * exact bytes stay recoverable (`Buffer.from(raw.base64, 'base64')`). `jsonb` cannot hold U+0000,
 * hence base64 of the body as received (UTF-8). Null when nothing was cleaned.
 */
export function rawIfCleaned(rawBody: string, cleaned: boolean): RawBody | null {
  return cleaned ? { encoding: 'base64', base64: Buffer.from(rawBody, 'utf8').toString('base64') } : null;
}
