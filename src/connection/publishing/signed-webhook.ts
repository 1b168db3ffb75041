import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Connector } from '../framework/connector.js';
import { ConnectorError } from '../framework/connector-error.js';
import { guardFetch } from '../framework/guarded-fetch.js';

/**
 * Publishing by signed webhook: AIOS POSTs each approved post, at its slot, as JSON to a URL the
 * business chose (its scheduler, Zapier, Make, n8n, its own script), one connection per platform
 * with its own secret. Headers (Stripe/Twilio style):
 *
 * | header | value |
 * |---|---|
 * | `X-AIOS-Timestamp` | Unix time of the request, seconds |
 * | `X-AIOS-Signature` | `v1=` + hex HMAC-SHA256 over `<timestamp>.<raw body>` with the connection's secret |
 * | `X-AIOS-Delivery` | the delivery id (outbox row): the same post retried carries the same id |
 *
 * The receiver recomputes the HMAC over the exact bytes, compares in constant time, and refuses a
 * timestamp more than 5 minutes off (replay). It answers 2xx, optionally with JSON
 * `{ "url": "<the published post>", "id": "<its id>" }`, which AIOS records on the post. 4xx →
 * failed (not retried: the receiver refused it); 5xx, 429, network → retried with back-off.
 */

/** Credentials of a `publish-webhook` connection. */
export const PublishWebhookCredentials = z.object({
  url: z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  secret: z.string().min(24, 'must be at least 24 characters (e.g. `openssl rand -hex 32`)').max(200),
}).strict();
export type PublishWebhookCredentialsT = z.infer<typeof PublishWebhookCredentials>;

/** Oldest (or newest) timestamp a receiver should accept, in seconds from now. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The signature header's value for a body sent at `timestampSec`. */
export function signBody(secret: string, timestampSec: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (and what tests use): true when `signature` is `signBody(secret, ts, body)`
 * and `ts` is within {@link SIGNATURE_TOLERANCE_SECONDS} of `nowSec`.
 */
export function verifySignature(secret: string, headers: { timestamp: string | null; signature: string | null }, body: string, nowSec: number): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts) || Math.abs(nowSec - ts) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const want = Buffer.from(signBody(secret, ts, body));
  const got = Buffer.from(headers.signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** What the receiver said about a delivered post. */
export interface WebhookReceipt {
  status: number;
  url: string | null;
  id: string | null;
}

/**
 * POSTs `payload` as JSON, signed, to the connection's URL (every hop through the outbound address
 * policy). `fetchImpl` is for tests.
 * @throws ConnectorError `invalid_input` on 4xx (the receiver refused the post), `auth` on 401/403,
 *   `rate_limit` on 429 and `network` on 5xx or no answer (both retried)
 */
export async function postSigned(creds: PublishWebhookCredentialsT, payload: unknown, deliveryId: string, now: Date, fetchImpl?: typeof fetch): Promise<WebhookReceipt> {
  const body = JSON.stringify(payload);
  const ts = Math.floor(now.getTime() / 1000);
  let res: Response;
  try {
    res = await guardFetch(fetchImpl)(creds.url, {
      method: 'POST', body, signal: AbortSignal.timeout(15_000),
      headers: { 'content-type': 'application/json', 'user-agent': 'AIOS-content/1', 'x-aios-timestamp': String(ts), 'x-aios-signature': signBody(creds.secret, ts, body), 'x-aios-delivery': deliveryId },
    });
  } catch (err) {
    if (err instanceof ConnectorError) throw err;
    throw new ConnectorError('network', `the publishing webhook did not answer: ${err instanceof Error ? err.message : String(err)}`, { cause: err, fix: 'Check the receiver is up; AIOS retries.' });
  }
  const text = (await res.text()).slice(0, 4000);
  const host = new URL(creds.url).host;
  if (res.status === 401 || res.status === 403) throw new ConnectorError('auth', `${host} refused the signature (HTTP ${res.status})`, { fix: 'Give the receiver the same secret as the connection (`aios connect publish-webhook`).' });
  if (res.status === 429) throw new ConnectorError('rate_limit', `${host} asked to slow down (HTTP 429)`, { retryAfterSeconds: Number(res.headers.get('retry-after')) || 60 });
  if (res.status >= 500) throw new ConnectorError('network', `${host} failed (HTTP ${res.status})`, { fix: 'AIOS retries; check the receiver if it keeps failing.' });
  if (res.status >= 300) throw new ConnectorError('invalid_input', `${host} refused the post (HTTP ${res.status}): ${text.slice(0, 300)}`, { fix: 'Read the receiver\'s answer, fix the post or the receiver, and publish it again.' });
  let url: string | null = null;
  let id: string | null = null;
  try {
    const j = JSON.parse(text) as { url?: unknown; id?: unknown };
    if (typeof j.url === 'string' && /^https?:\/\//.test(j.url) && j.url.length <= 2000) url = j.url;
    if (typeof j.id === 'string' || typeof j.id === 'number') id = String(j.id).slice(0, 200);
  } catch {
    /* a 2xx without JSON is accepted: the receiver took the post */
  }
  return { status: res.status, url, id };
}

/** The `publish-webhook` connector: credentials checked by shape; the URL is reached only when a post is published. */
export const publishWebhookConnector: Connector<PublishWebhookCredentialsT> = {
  kind: 'publish-webhook',
  title: 'Publishing webhook (signed, one per platform)',
  credentials: PublishWebhookCredentials,
  async validate() {
    /* nothing is sent before the first approved post: a test post would publish */
  },
};
