/**
 * A minimal client for Twilio's REST message API (2010-04-01), against a configurable base URL so
 * tests and self-hosted setups can point it at a compatible server.
 */
import { AuthError, PermanentError, TransientError } from '../../core/errors.js';

export interface TwilioRestClientOptions {
  /** API origin without a trailing path, e.g. `https://api.twilio.com` (the default). */
  baseUrl?: string;
  /** Account SID (`AC…`): the path segment and the basic-auth user name. */
  accountSid: string;
  /** Auth token: the basic-auth password. */
  authToken: string;
  /** Per-request timeout in milliseconds (default 10 000). */
  timeoutMs?: number;
}

export interface SendMessageInput {
  /** Recipient, E.164. */
  to: string;
  /** Sender: a Twilio number in E.164 (or a messaging service / alphanumeric sender). */
  from: string;
  body: string;
  /** URL Twilio calls back with delivery status updates. */
  statusCallback?: string;
}

export interface SentMessage {
  /** Message SID (`SM…`). */
  sid: string;
  /** Twilio's status at creation, usually `queued` or `accepted`. */
  status: string;
  /** The JSON resource exactly as returned. */
  raw: Record<string, unknown>;
}

/** A message as listed by Twilio (the fields AIOS reads). */
export interface TwilioMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  status: string;
  /** RFC 2822, e.g. `Wed, 18 Aug 2010 20:01:40 +0000`. */
  date_created: string;
  [key: string]: unknown;
}

export interface FindRecentMessageInput {
  to: string;
  from: string;
  body: string;
  /** Earliest creation time of interest; a 60 s clock-skew margin is allowed before it. */
  since: Date;
}

/** Clock-skew margin for {@link TwilioRestClient.findRecentMessage}, in milliseconds. */
export const FIND_SKEW_MS = 60_000;

export class TwilioRestClient {
  private readonly baseUrl: string;
  private readonly accountSid: string;
  private readonly authHeader: string;
  private readonly timeoutMs: number;

  constructor(opts: TwilioRestClientOptions) {
    this.baseUrl = (opts.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
    this.accountSid = opts.accountSid;
    this.authHeader = 'Basic ' + Buffer.from(`${opts.accountSid}:${opts.authToken}`, 'utf8').toString('base64');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** `{baseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json` */
  get messagesUrl(): string {
    return `${this.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(this.accountSid)}/Messages.json`;
  }

  /**
   * Creates (sends) a message.
   *
   * A {@link TransientError} after the request left this process (timeout, 5xx) means the outcome
   * is unknown: call {@link findRecentMessage} before sending again to avoid a duplicate text.
   *
   * @throws TransientError on network failure, timeout, HTTP 429 or 5xx
   * @throws AuthError on HTTP 401/403
   * @throws PermanentError on other 4xx (message includes Twilio's error code and text)
   */
  async sendMessage(input: SendMessageInput): Promise<SentMessage> {
    const form = new URLSearchParams({ To: input.to, From: input.from, Body: input.body });
    if (input.statusCallback) form.set('StatusCallback', input.statusCallback);
    const json = await this.request('POST', this.messagesUrl, form);
    const sid = json['sid'];
    if (typeof sid !== 'string') {
      throw new TransientError('Twilio created a message but the response had no "sid"; the outcome is unknown', {
        fix: 'Reconcile with findRecentMessage before sending again.',
      });
    }
    return { sid, status: typeof json['status'] === 'string' ? json['status'] : 'unknown', raw: json };
  }

  /**
   * Finds a message already created with exactly this to/from/body, created no earlier than
   * `since` minus {@link FIND_SKEW_MS}. Reads the newest page (up to 50 messages) filtered by
   * To, From and the UTC send date. Used to reconcile a send whose outcome is unknown.
   *
   * @returns the newest matching message, or null
   * @throws the same errors as {@link sendMessage}
   */
  async findRecentMessage(input: FindRecentMessageInput): Promise<TwilioMessage | null> {
    const earliest = input.since.getTime() - FIND_SKEW_MS;
    const query = new URLSearchParams({ To: input.to, From: input.from });
    query.set('DateSent>', new Date(earliest).toISOString().slice(0, 10));
    query.set('PageSize', '50');
    const json = await this.request('GET', `${this.messagesUrl}?${query.toString()}`);
    const list = json['messages'];
    if (!Array.isArray(list)) {
      throw new TransientError('Twilio message list response had no "messages" array');
    }
    for (const item of list as unknown[]) {
      if (!isMessage(item)) continue;
      if (item.to !== input.to || item.from !== input.from || item.body !== input.body) continue;
      const created = Date.parse(item.date_created);
      if (!Number.isNaN(created) && created >= earliest) return item;
    }
    return null;
  }

  private async request(method: 'GET' | 'POST', url: string, form?: URLSearchParams): Promise<Record<string, unknown>> {
    const what = `Twilio ${method} ${new URL(url).pathname}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: this.authHeader,
          accept: 'application/json',
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: form?.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const reason = timedOut ? `timed out after ${this.timeoutMs} ms` : `network error: ${errorText(err)}`;
      throw new TransientError(`${what} ${reason}`, { cause: err, fix: 'Check connectivity to the Twilio API; AIOS will retry.' });
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new TransientError(`${what}: HTTP ${res.status}, body unreadable: ${errorText(err)}`, { cause: err });
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = undefined;
    }
    if (res.ok) {
      if (!isRecord(json)) throw new TransientError(`${what}: HTTP ${res.status} but the body is not JSON`);
      return json;
    }
    const detail = describeTwilioError(res.status, json, text);
    if (res.status === 401 || res.status === 403) {
      throw new AuthError(`${what} refused the credentials: ${detail}`, {
        fix: 'Check the Twilio Account SID and Auth Token in the AIOS configuration.',
      });
    }
    if (res.status === 429 || res.status >= 500) {
      const retryAfter = res.headers.get('retry-after');
      throw new TransientError(`${what} failed: ${detail}${retryAfter ? ` (Retry-After: ${retryAfter} s)` : ''}`, {
        fix: 'Twilio is busy or unavailable; AIOS will retry.',
      });
    }
    throw new PermanentError(`${what} rejected the request: ${detail}`, {
      fix: 'Correct the request (see Twilio error code); retrying it unchanged will fail again.',
    });
  }
}

/** Formats a date as RFC 2822 the way Twilio does: `Wed, 18 Aug 2010 20:01:40 +0000`. */
export function toRfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

function describeTwilioError(status: number, json: unknown, text: string): string {
  if (isRecord(json) && (json['code'] !== undefined || json['message'] !== undefined)) {
    const code = json['code'] !== undefined ? `code ${String(json['code'])}: ` : '';
    const more = typeof json['more_info'] === 'string' ? ` (${json['more_info']})` : '';
    return `HTTP ${status}, ${code}${String(json['message'] ?? '')}${more}`;
  }
  const snippet = text.trim().slice(0, 200);
  return snippet ? `HTTP ${status}: ${snippet}` : `HTTP ${status}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isMessage(v: unknown): v is TwilioMessage {
  return (
    isRecord(v) &&
    typeof v['sid'] === 'string' &&
    typeof v['to'] === 'string' &&
    typeof v['from'] === 'string' &&
    typeof v['body'] === 'string' &&
    typeof v['status'] === 'string' &&
    typeof v['date_created'] === 'string'
  );
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}
