import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { cleanDeep } from '../../core/clean-text.js';
import { countryOfPhone, FALLBACK_COUNTRY, normalisePhone } from '../../core/phone.js';

/** A web lead after validation: what a form or the widget sent, normalised. */
export interface Lead {
  name: string | null;
  /** E.164, e.g. +14165550142. */
  phone: string | null;
  /** Lower-cased. */
  email: string | null;
  message: string | null;
  /** Where it came from: `form` (default for the signed webhook), `widget`, or what the form sent. */
  source: string;
  /** The page the visitor was on (URL), when known. */
  page: string | null;
  /**
   * Sender-chosen key from the body's `idempotency_key` (inside the signed body for the form
   * webhook; a request header is never used): two submissions with the same key are one lead.
   */
  idempotencyKey: string | null;
  /** Other string fields the form sent (at most 20, each ≤ 1000 characters), kept on the event. */
  extra: Record<string, string>;
}

const KNOWN = new Set(['name', 'phone', 'email', 'message', 'source', 'page', 'idempotency_key']);

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional().transform((v) => (v ? v : null));

const LeadSchema = z.object({
  name: text(200),
  phone: text(40),
  email: text(254).refine((v) => v === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), 'must be an email address such as ana@example.com'),
  message: text(5000),
  source: text(100),
  page: text(2000),
  idempotency_key: text(200),
});

/**
 * Normalises a phone number to E.164 with {@link normalisePhone}; a number without `+` is read in
 * the country of the business's own number (CA when it is not known).
 * @returns the E.164 form, or null when it is not a phone number.
 */
export function normalizePhone(raw: string, businessPhone?: string): string | null {
  return normalisePhone(raw, countryOfPhone(businessPhone) ?? FALLBACK_COUNTRY);
}

/**
 * Validates a lead from a parsed body (JSON object or form fields). A lead needs a phone or an
 * email; the phone is normalised to E.164 (see {@link normalizePhone}). Control characters and
 * invalid code points are removed from every string first (`core/clean-text.ts`).
 * @param defaults.source used when the body has no `source`
 * @throws InputError (400) naming the field, e.g. `email: must be an email address …`
 */
export function parseLead(body: unknown, defaults: { source: string; businessPhone?: string }): Lead {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError('the body must be a JSON object or form fields', { fix: 'Send name, phone or email, and message as JSON or application/x-www-form-urlencoded.' });
  }
  const fields = cleanDeep(body) as Record<string, unknown>;
  for (const k of KNOWN) {
    const v = fields[k];
    if (v !== undefined && v !== null && typeof v !== 'string' && typeof v !== 'number') {
      throw new InputError(`${k}: must be a string`, { fix: `Send "${k}" as text.` });
    }
  }
  const asText = Object.fromEntries([...KNOWN].map((k) => [k, fields[k] === undefined || fields[k] === null ? undefined : String(fields[k])]));
  const res = LeadSchema.safeParse(asText);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(body)';
    throw new InputError(`${field}: ${issue.message}`, { fix: `Correct "${field}" and send the lead again.` });
  }
  const d = res.data;
  let phone: string | null = null;
  if (d.phone) {
    phone = normalizePhone(d.phone, defaults.businessPhone);
    if (!phone) throw new InputError(`phone: "${d.phone}" is not a phone number AIOS can text; use the international form such as +14165550142`, { fix: 'Send the phone with its country code.' });
  }
  // A message without a way to reach the person is still a lead: the owner is told (they may know
  // who it is). With neither a way to reach them nor a message there is nothing to act on.
  if (!phone && !d.email && !d.message?.trim()) throw new InputError('phone or email: a lead needs a way to reach the person, or at least a message', { fix: 'Make phone or email a required field of the form.' });
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (KNOWN.has(k) || typeof v !== 'string' || Object.keys(extra).length >= 20) continue;
    extra[k.slice(0, 100)] = v.slice(0, 1000);
  }
  return {
    name: d.name, phone, email: d.email?.toLowerCase() ?? null, message: d.message, source: d.source ?? defaults.source,
    page: d.page, idempotencyKey: d.idempotency_key ?? null, extra,
  };
}

/**
 * Parses a request body as JSON (when the content type says JSON, or it starts with `{`) or as
 * form fields (`application/x-www-form-urlencoded`; a repeated field keeps its first value).
 * @throws InputError (400) for malformed JSON, (415) for other content types.
 */
export function parseBody(raw: string, contentType: string): unknown {
  const ct = contentType.toLowerCase();
  if (ct.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(raw)) if (!(k in out)) out[k] = v;
    return out;
  }
  if (ct.includes('json') || ct.startsWith('text/plain') || ct === '' ) {
    try {
      return JSON.parse(raw);
    } catch (err) {
      throw new InputError(`body: malformed JSON (${(err as Error).message})`, { fix: 'Send a JSON object such as {"name":"Ana","phone":"+14165550142"}.' });
    }
  }
  throw new InputError(`content type "${contentType}" is not supported`, { status: 415, fix: 'Send application/json or application/x-www-form-urlencoded.' });
}
