import type { ParsedMailPayload } from '../../connection/mail/parse-mail.js';

/**
 * What the triage classifier reads of one email. Built from the parsed mail of an
 * `email.received` event ({@link triageEmailFromPayload}); all of it is untrusted outside text.
 */
export interface TriageEmail {
  /** Sender address, lower case. */
  from: string;
  fromName: string | null;
  subject: string;
  /** Plain text body (HTML already converted). */
  text: string;
  /** Bulk-mail headers, when the mail had them. */
  listUnsubscribe?: boolean;
  listId?: string | null;
  /** `Precedence:` header value, lower case (`bulk`, `list`, `junk`). */
  precedence?: string | null;
  /** True when the body came from an HTML part only. */
  htmlOnly?: boolean;
}

const MAX_BODY_CHARS = 20_000;
const MAX_BODY_TOKENS = 1_500;
const WORD = /[a-z0-9][a-z0-9'$€£%-]{1,24}/g;
const STOP = new Set(['the', 'and', 'for', 'you', 'your', 'are', 'with', 'this', 'that', 'have', 'from', 'was', 'our', 'will', 'can', 'not', 'but', 'all', 'any', 'has', 'had', 'its', 'it\'s', 'they', 'them', 'their', 'there', 'what', 'which', 'who', 'would', 'could', 'about', 'into', 'than', 'then', 'been', 'were', 'also', 'just', 'some', 'more', 'one']);

/** The sender's domain (`example.com`), or `''`. */
export function senderDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).trim().toLowerCase().replace(/>$/, '');
}

function words(text: string, prefix: string, max: number, out: string[]): void {
  const m = text.toLowerCase().match(WORD);
  if (!m) return;
  let n = 0;
  for (const w of m) {
    if (STOP.has(w)) continue;
    out.push(prefix + (w.length > 3 && /^\d+$/.test(w) ? '#num' : w));
    if (++n >= max) break;
  }
}

/**
 * The classifier's tokens for a mail: header marks (`h:list-unsubscribe`, `h:precedence:bulk`,
 * `h:list-id`, `h:html-only`), the sender's domain and its last label (`d:example.com`,
 * `tld:com`), subject words (`s:<word>`) and the first 1,500 body words (links reduced to
 * `url:<host>`). Deterministic; no stemming.
 */
export function triageTokens(e: TriageEmail): string[] {
  const out: string[] = [];
  if (e.listUnsubscribe) out.push('h:list-unsubscribe');
  if (e.listId) out.push('h:list-id');
  if (e.precedence) out.push(`h:precedence:${e.precedence.toLowerCase().trim().slice(0, 10)}`);
  if (e.htmlOnly) out.push('h:html-only');
  const domain = senderDomain(e.from);
  if (domain) {
    out.push(`d:${domain}`);
    const parts = domain.split('.');
    out.push(`tld:${parts[parts.length - 1]}`);
    if (parts.length > 2) out.push(`d:${parts.slice(-2).join('.')}`);
  } else out.push('d:none');
  const local = e.from.slice(0, Math.max(0, e.from.indexOf('@'))).toLowerCase();
  if (/^(no-?reply|newsletter|news|info|marketing|mailer|notifications?|updates?|hello|team)$/.test(local)) out.push(`l:${local}`);
  words(e.subject, 's:', 40, out);
  if (!e.subject.trim()) out.push('s:#empty');
  const body = e.text.slice(0, MAX_BODY_CHARS).replace(/https?:\/\/([^/\s>"')]+)[^\s>"')]*/gi, (_m, host: string) => ` url:${host.toLowerCase()} `);
  for (const u of body.match(/url:[a-z0-9.-]+/g) ?? []) out.push(u);
  words(body.replace(/url:[a-z0-9.-]+/g, ' '), '', MAX_BODY_TOKENS, out);
  return out;
}

/** The triage view of a parsed mail payload (an `email.received` event's payload). */
export function triageEmailFromPayload(p: Partial<ParsedMailPayload> & { listUnsubscribe?: unknown; listId?: unknown; precedence?: unknown; htmlOnly?: unknown }): TriageEmail {
  const from = p.from?.[0];
  return {
    from: (from?.address ?? '').toLowerCase(),
    fromName: from?.name || null,
    subject: typeof p.subject === 'string' ? p.subject : '',
    text: typeof p.text === 'string' ? p.text : '',
    listUnsubscribe: p.listUnsubscribe === true,
    listId: typeof p.listId === 'string' ? p.listId : null,
    precedence: typeof p.precedence === 'string' ? p.precedence : null,
    htmlOnly: p.htmlOnly === true,
  };
}
