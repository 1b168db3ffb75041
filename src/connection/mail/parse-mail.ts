import { createHash } from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';

/**
 * Raw RFC 5322 message → JSON-safe payload for an `email.received` event. Hostile input never
 * crashes the caller: oversized, unparsable or too-slow messages come back as `{ ok: false }`
 * with a reason, for the quarantine.
 */

/** One address from From/To/Cc. `name` is '' when the header had none. */
export interface MailAddress {
  address: string;
  name: string;
}

/** Attachment metadata; `contentBase64` only when the attachment is at most the per-attachment limit. */
export interface MailAttachment {
  filename: string | null;
  contentType: string;
  /** Decoded size in bytes. */
  size: number;
  contentId: string | null;
  contentBase64?: string;
  /** Why the content was dropped, e.g. over the size limit. */
  note?: string;
}

/** The JSON-safe payload of a parsed message (no Dates, no Buffers). */
export interface ParsedMailPayload {
  [key: string]: unknown;
  /** Message-ID with angle brackets, or null when the header is missing. */
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** Root of References, else In-Reply-To, else the own Message-ID (null when none of them exist). */
  threadId: string | null;
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  /** ISO 8601 from the Date header, or null when missing/invalid. */
  date: string | null;
  /** Plain text body; converted from HTML when there is no text part. */
  text: string;
  attachments: MailAttachment[];
  /** Raw size in bytes. */
  size: number;
  /** Bulk-mail marks read by inbox triage: a List-Unsubscribe header, the List-Id, `Precedence:` (lower case). */
  listUnsubscribe?: boolean;
  listId?: string | null;
  precedence?: string | null;
  /** True when the mail had no text part (the text was converted from HTML, or there is none). */
  htmlOnly?: boolean;
}

export type ParseOutcome = { ok: true; payload: ParsedMailPayload } | { ok: false; reason: string };

/** Limits for {@link parseMail}. */
export interface ParseLimits {
  /** Whole-message limit in bytes (default 25 MB); larger → quarantined. */
  maxMessageBytes?: number;
  /** Per-attachment content limit in bytes (default 10 MB); larger → metadata only, with a note. */
  maxAttachmentBytes?: number;
  /** Wall-clock limit per message in milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Longest text body kept, in characters (default 1 000 000); longer is cut with a marker. */
  maxTextChars?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
export const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_TEXT = 1_000_000;

/**
 * Parses one raw message. Never throws: any failure (size, timeout, parser error) becomes
 * `{ ok: false, reason }` naming the limit or the parser's message.
 */
export async function parseMail(raw: Buffer, limits: ParseLimits = {}): Promise<ParseOutcome> {
  const maxMessage = limits.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (raw.length > maxMessage) {
    return { ok: false, reason: `message is ${raw.length} bytes, over the ${maxMessage}-byte limit (maxMessageBytes)` };
  }
  const timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`parsing took longer than ${timeoutMs} ms (timeoutMs)`)), timeoutMs);
    });
    // Loaded at the first message parsed: an instance without mail never holds it.
    const { simpleParser } = await import('mailparser');
    const parsed = await Promise.race([simpleParser(raw, { maxHtmlLengthToParse: 5 * 1024 * 1024, skipTextToHtml: true, skipImageLinks: true }), timeout]);
    return { ok: true, payload: toPayload(parsed, raw.length, limits) };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: `unparsable message: ${msg.slice(0, 300)}` };
  } finally {
    clearTimeout(timer);
  }
}

function toPayload(m: ParsedMail, size: number, limits: ParseLimits): ParsedMailPayload {
  const maxAttachment = limits.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const maxText = limits.maxTextChars ?? DEFAULT_MAX_TEXT;
  const messageId = cleanId(m.messageId);
  const inReplyTo = firstId(m.inReplyTo);
  const references = (Array.isArray(m.references) ? m.references : m.references ? [m.references] : []).flatMap(splitIds);
  const date = m.date && !Number.isNaN(m.date.getTime()) ? m.date.toISOString() : null;
  let text = m.text ?? '';
  const htmlOnly = !text.trim();
  if (htmlOnly && typeof m.html === 'string') text = htmlToText(m.html);
  const header = (name: string): string | null => {
    const v = m.headers?.get(name) as unknown;
    if (v == null) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && v && 'text' in v && typeof (v as { text: unknown }).text === 'string') return (v as { text: string }).text;
    return String(v);
  };
  const precedence = header('precedence');
  if (text.length > maxText) text = `${text.slice(0, maxText)}\n[… text cut at ${maxText} characters]`;
  return {
    messageId,
    inReplyTo,
    references,
    threadId: references[0] ?? inReplyTo ?? messageId,
    from: addresses(m.from),
    to: addresses(m.to),
    cc: addresses(m.cc),
    subject: m.subject ?? '',
    date,
    text,
    attachments: m.attachments.map((a) => {
      const base = { filename: a.filename ?? null, contentType: a.contentType, size: a.size, contentId: a.contentId ?? null };
      if (a.size > maxAttachment) return { ...base, note: `content dropped: ${a.size} bytes is over the ${maxAttachment}-byte attachment limit` };
      return { ...base, contentBase64: a.content.toString('base64') };
    }),
    size,
    listUnsubscribe: m.headers?.has('list-unsubscribe') ?? false,
    listId: header('list-id')?.slice(0, 200) ?? null,
    precedence: precedence ? precedence.trim().toLowerCase().slice(0, 20) : null,
    htmlOnly,
  };
}

function addresses(v: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const out: MailAddress[] = [];
  const walk = (list: Array<{ address?: string; name: string; group?: unknown }>): void => {
    for (const e of list) {
      if (Array.isArray(e.group)) walk(e.group as Array<{ address?: string; name: string }>);
      else if (e.address) out.push({ address: e.address.toLowerCase(), name: e.name ?? '' });
    }
  };
  for (const o of Array.isArray(v) ? v : v ? [v] : []) walk(o.value);
  return out;
}

function splitIds(s: string): string[] {
  return (s.match(/<[^<>\s]+>/g) ?? (s.trim() ? [`<${s.trim().replace(/^<|>$/g, '')}>`] : [])).map((x) => x.trim());
}

function firstId(s: string | undefined): string | null {
  return s ? (splitIds(s)[0] ?? null) : null;
}

function cleanId(s: string | undefined): string | null {
  return firstId(s);
}

/** A small HTML → text conversion for mails without a text part (mailparser normally does this). */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|tr|li|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/gi, "'")
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n\n')
    .trim();
}

/** The header fields a stable id is derived from. */
export interface MailIdentity {
  messageId?: string | null;
  date?: Date | string | null;
  from?: string | null;
  subject?: string | null;
  /** Raw size in bytes. */
  size?: number | null;
}

/**
 * A stable external id for a message, independent of IMAP UIDs (so a UIDVALIDITY reset does not
 * duplicate anything): `mid:<message-id>` when the Message-ID header exists, otherwise
 * `h:<sha256 of date|from|subject|size>` (first 32 hex characters).
 */
export function stableMailId(m: MailIdentity): string {
  const mid = m.messageId ? firstId(m.messageId) : null;
  if (mid) return `mid:${mid}`;
  const date = m.date instanceof Date ? (Number.isNaN(m.date.getTime()) ? '' : m.date.toISOString()) : (m.date ?? '');
  const key = [date, (m.from ?? '').toLowerCase(), m.subject ?? '', String(m.size ?? '')].join('|');
  return `h:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}
