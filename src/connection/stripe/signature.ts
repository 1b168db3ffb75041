import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConnectorError } from '../framework/connector-error.js';

/** Largest accepted distance between the signed timestamp and now, in seconds (Stripe's default). */
export const STRIPE_TOLERANCE_SECONDS = 300;

/** A Stripe webhook failed verification; nothing is stored. Maps to HTTP 400. */
export class StripeSignatureError extends ConnectorError {
  constructor(message: string) {
    super('auth', `Stripe-Signature rejected: ${message}`, {
      fix: 'Check the endpoint signing secret (whsec_…) saved for this connection matches the endpoint in the Stripe dashboard, and that the server clock is right.',
    });
  }
}

/** The Stripe-Signature header's parts: `t=<unix s>,v1=<hex>[,v1=<hex>…]` (other schemes ignored). */
export function parseStripeSignatureHeader(header: string): { timestamp: number | null; v1: string[] } {
  let timestamp: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d{1,12}$/.test(v)) timestamp = Number(v);
    else if (k === 'v1' && v) v1.push(v);
  }
  return { timestamp, v1 };
}

/** The v1 signature Stripe computes: hex HMAC-SHA256 of `${t}.${rawBody}` keyed by the endpoint secret. */
export function stripeSignature(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

/**
 * Verifies a webhook per Stripe's documented scheme: any `v1` value equal (constant-time) to the
 * expected HMAC is accepted (several appear while a secret is being rolled), and the timestamp
 * must be within `toleranceSeconds` (default 300 s) of `now`, in either direction.
 * `rawBody` must be the exact bytes received, decoded as UTF-8. Throws StripeSignatureError.
 * @returns the signed timestamp, in seconds since the epoch.
 */
export function verifyStripeSignature(
  header: string | undefined | null,
  rawBody: string,
  secret: string,
  opts: { now?: () => Date; toleranceSeconds?: number } = {},
): { timestamp: number } {
  if (!header) throw new StripeSignatureError('the Stripe-Signature header is missing');
  const { timestamp, v1 } = parseStripeSignatureHeader(header);
  if (timestamp === null) throw new StripeSignatureError('no timestamp (t=) in the header');
  if (v1.length === 0) throw new StripeSignatureError('no v1 signature in the header');
  const expected = Buffer.from(stripeSignature(secret, timestamp, rawBody), 'hex');
  let ok = false;
  for (const sig of v1) {
    const got = /^[0-9a-f]+$/i.test(sig) ? Buffer.from(sig, 'hex') : Buffer.alloc(0);
    if (got.length === expected.length && timingSafeEqual(got, expected)) ok = true;
  }
  if (!ok) throw new StripeSignatureError('no v1 signature matches the body (wrong signing secret, or the body was changed)');
  const tolerance = opts.toleranceSeconds ?? STRIPE_TOLERANCE_SECONDS;
  const nowS = Math.floor((opts.now?.() ?? new Date()).getTime() / 1000);
  const skew = nowS - timestamp;
  if (skew > tolerance) throw new StripeSignatureError(`the signed timestamp is ${skew} s old (limit ${tolerance} s): a replay or a delayed delivery`);
  if (-skew > tolerance) throw new StripeSignatureError(`the signed timestamp is ${-skew} s in the future (limit ${tolerance} s)`);
  return { timestamp };
}
