/**
 * Twilio's form-encoded webhooks: voice status callbacks and inbound SMS/MMS, the STOP/START/HELP
 * keywords carriers require, and the TwiML reply to an inbound message.
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { cleanText } from '../../core/clean-text.js';

/** A decoded form body: URLSearchParams, or an object such as a web framework's parsed body. */
export type FormInput = URLSearchParams | Record<string, unknown>;

/** E.164: "+", a non-zero country code digit, 7 to 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

export const sid = (prefixes: readonly string[]) =>
  z
    .string()
    .regex(/^[A-Za-z0-9]{2,64}$/, 'must be 2 to 64 letters and digits')
    .refine((s) => prefixes.some((p) => s.startsWith(p)), `must start with ${prefixes.map((p) => `"${p}"`).join(' or ')}`);

export const phone = z.string().regex(E164, 'must be an E.164 phone number such as +14155550100');
const nonNegativeInt = z.string().regex(/^\d{1,9}$/, 'must be a non-negative whole number').transform(Number);

export const CALL_STATUSES = ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** Schema of a voice status callback (names exactly as Twilio posts them). */
/**
 * Callers who hide their number reach Twilio as `anonymous`, `restricted`, `unknown`, `private`,
 * an empty value, or Twilio's placeholder `+266696687`. Such a call is still a call.
 */
export const WITHHELD_CALLERS = ['anonymous', 'restricted', 'unknown', 'private', 'unavailable', '+266696687', ''] as const;

/** True when the caller's number is withheld (see {@link WITHHELD_CALLERS}). */
export function isWithheldCaller(from: string): boolean {
  return (WITHHELD_CALLERS as readonly string[]).includes(from.trim().toLowerCase());
}

export const voiceStatusSchema = z.object({
  CallSid: sid(['CA']),
  AccountSid: sid(['AC']),
  From: z.string().max(64).refine((v) => E164.test(v) || isWithheldCaller(v), 'must be an E.164 phone number such as +14155550100, or a withheld caller (anonymous)'),
  To: phone,
  CallStatus: z.enum(CALL_STATUSES, { error: `must be one of ${CALL_STATUSES.join(', ')}` }),
  CallDuration: nonNegativeInt.optional(),
  Timestamp: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date such as "Mon, 16 Aug 2010 03:45:01 +0000"')
    .transform((s) => new Date(s))
    .optional(),
  Direction: z.string().max(64).optional(),
  CallerName: z.string().max(256).optional(),
});

/** A parsed voice status callback. */
export interface VoiceStatus {
  callSid: string;
  accountSid: string;
  from: string;
  to: string;
  callStatus: CallStatus;
  /** Length of the call in seconds (sent with `completed`). */
  callDuration?: number;
  /** When Twilio raised the event. */
  timestamp?: Date;
  /** e.g. `inbound`, `outbound-api`, `outbound-dial`. */
  direction?: string;
  /** Caller ID name (CNAM), when the number has it enabled. */
  callerName?: string;
}

/** Schema of the scalar fields of an inbound SMS/MMS webhook; media fields are read separately. */
export const inboundSmsSchema = z.object({
  MessageSid: sid(['SM', 'MM']),
  AccountSid: sid(['AC']),
  From: phone,
  To: phone,
  Body: z.string().max(16_000).default(''),
  NumMedia: nonNegativeInt.pipe(z.number().max(10, 'must be at most 10')).optional(),
});

/** One media attachment of an MMS. */
export interface SmsMedia {
  url: string;
  contentType: string;
}

/** A parsed inbound SMS or MMS. */
export interface InboundSms {
  messageSid: string;
  accountSid: string;
  from: string;
  to: string;
  /** Message text; empty for a media-only MMS. */
  body: string;
  media: SmsMedia[];
}

/**
 * Parses a voice status callback.
 * @throws InputError naming the field and the problem
 */
export function parseVoiceStatus(params: FormInput): VoiceStatus {
  const v = check('voice status callback', voiceStatusSchema, toRecord(params));
  const out: VoiceStatus = { callSid: v.CallSid, accountSid: v.AccountSid, from: v.From, to: v.To, callStatus: v.CallStatus };
  if (v.CallDuration !== undefined) out.callDuration = v.CallDuration;
  if (v.Timestamp !== undefined) out.timestamp = v.Timestamp;
  if (v.Direction !== undefined) out.direction = v.Direction;
  if (v.CallerName !== undefined) out.callerName = v.CallerName;
  return out;
}

/**
 * Parses an inbound SMS/MMS webhook, collecting `MediaUrlN`/`MediaContentTypeN` into `media`.
 * Without `NumMedia`, consecutive `MediaUrl0..` fields are collected.
 * @throws InputError naming the field and the problem
 */
export function parseInboundSms(params: FormInput): InboundSms {
  const rec = toRecord(params);
  const v = check('inbound SMS', inboundSmsSchema, rec);
  let count = v.NumMedia;
  if (count === undefined) {
    count = 0;
    while (count < 10 && rec[`MediaUrl${count}`] !== undefined) count++;
  }
  const media: SmsMedia[] = [];
  for (let i = 0; i < count; i++) {
    const url = rec[`MediaUrl${i}`];
    if (!url) throw fieldError('inbound SMS', `MediaUrl${i}`, `is required because NumMedia is ${count}`);
    if (!isHttpUrl(url)) throw fieldError('inbound SMS', `MediaUrl${i}`, 'must be an http(s) URL');
    const contentType = rec[`MediaContentType${i}`] ?? 'application/octet-stream';
    if (!/^[\w.+-]+\/[\w.+-]+/.test(contentType)) {
      throw fieldError('inbound SMS', `MediaContentType${i}`, 'must be a MIME type such as image/jpeg');
    }
    media.push({ url, contentType });
  }
  return { messageSid: v.MessageSid, accountSid: v.AccountSid, from: v.From, to: v.To, body: v.Body, media };
}

/** True when a call ended without being answered: no-answer, busy, failed or canceled. */
export function isMissedCall(status: CallStatus | string): boolean {
  return status === 'no-answer' || status === 'busy' || status === 'failed' || status === 'canceled';
}

const STOP = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const START = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

/**
 * Classifies an inbound message as a carrier/CTIA keyword. The whole message (trimmed,
 * case-insensitive) must be the keyword: "stop" matches, "please stop texting me" does not.
 */
export function classifyKeyword(body: string): 'stop' | 'start' | 'help' | null {
  const word = body.trim().toUpperCase();
  if (STOP.has(word)) return 'stop';
  if (START.has(word)) return 'start';
  if (HELP.has(word)) return 'help';
  return null;
}

/** TwiML that replies with one `<Message>` per entry; an empty list replies with nothing. */
export function twiml(messages: string[]): string {
  const body = messages.map((m) => `<Message>${escapeXml(m)}</Message>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;
}

/** Escapes text for XML content and attributes, dropping characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * The first value of each form field, with control characters and other invalid code points
 * removed ({@link cleanText}): a NUL in a caller name or an SMS must not lose the message.
 */
export function toRecord(params: FormInput): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (params instanceof URLSearchParams) {
    for (const [k, val] of params) if (!(k in out)) out[k] = cleanText(val);
    return out;
  }
  for (const [k, val] of Object.entries(params)) {
    const first = Array.isArray(val) ? val[0] : val;
    if (first === undefined || first === null) continue;
    if (typeof first !== 'string') throw fieldError('webhook', k, 'must be a text form field');
    out[k] = cleanText(first);
  }
  return out;
}

export function check<S extends z.ZodType>(what: string, schema: S, rec: Record<string, string | undefined>): z.output<S> {
  const r = schema.safeParse(rec);
  if (r.success) return r.data;
  const problems = new Map<string, string>(); // first problem per field
  for (const i of r.error.issues) {
    const field = i.path.map(String).join('.') || '(form)';
    const message = i.code === 'invalid_type' && rec[field] === undefined ? 'is required' : i.message;
    if (!problems.has(field)) problems.set(field, `${field}: ${message}`);
  }
  throw new InputError(`Twilio ${what}: ${[...problems.values()].join('; ')}`, { code: 'twilio_webhook_invalid', fix: FIX });
}

const FIX = 'Check that the webhook URL configured at Twilio points at the matching AIOS endpoint.';

function fieldError(what: string, field: string, problem: string): InputError {
  return new InputError(`Twilio ${what}: ${field}: ${problem}`, { code: 'twilio_webhook_invalid', fix: FIX });
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
