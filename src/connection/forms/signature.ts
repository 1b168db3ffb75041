import { createHmac, timingSafeEqual } from 'node:crypto';
import { AiosError } from '../../core/errors.js';

/** Largest accepted difference between the sender's timestamp and our clock, in seconds. */
export const FORM_MAX_SKEW_SECONDS = 300;

/** Why a signed form webhook was refused (maps to HTTP 403; nothing is stored). */
export class FormSignatureError extends AiosError {
  constructor(message: string, fix: string) {
    super('bad_signature', message, { fix });
  }
}

/**
 * The signature a form sender puts in `X-AIOS-Signature`: `sha256=` + hex HMAC-SHA256, keyed by
 * the tenant's `forms.secret`, of `${timestamp}.${rawBody}` (timestamp in Unix seconds, the same
 * string as the `X-AIOS-Timestamp` header; rawBody exactly the bytes sent, as UTF-8).
 */
export function signFormBody(secret: string, timestamp: string | number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex')}`;
}

/**
 * Checks a signed form webhook: both headers present, the timestamp within
 * {@link FORM_MAX_SKEW_SECONDS} of `now` (either direction), and the signature equal (constant-time)
 * to {@link signFormBody} of the raw body.
 * @throws FormSignatureError saying which check failed and what to do.
 */
export function verifyFormSignature(secret: string, rawBody: string, headers: { signature?: string; timestamp?: string }, now: Date): void {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) {
    const missing = [!signature && 'X-AIOS-Signature', !timestamp && 'X-AIOS-Timestamp'].filter(Boolean).join(' and ');
    throw new FormSignatureError(`${missing} header missing`, 'Sign the raw body with HMAC-SHA256 of "<timestamp>.<body>" using forms.secret and send both headers.');
  }
  if (!/^\d{1,12}$/.test(timestamp)) throw new FormSignatureError(`X-AIOS-Timestamp "${timestamp.slice(0, 40)}" is not Unix seconds`, 'Send the current time as whole seconds since 1970, e.g. 1767225600.');
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (skew > FORM_MAX_SKEW_SECONDS) {
    throw new FormSignatureError(`X-AIOS-Timestamp is ${Math.round(skew)} s away from the server clock (limit ${FORM_MAX_SKEW_SECONDS} s)`, 'Sign each request when sending it, and check the sender\'s clock (NTP).');
  }
  const expected = Buffer.from(signFormBody(secret, timestamp, rawBody), 'utf8');
  const given = Buffer.from(signature.trim(), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new FormSignatureError('X-AIOS-Signature does not match the body', 'Check that the sender uses the forms.secret of this business and signs the exact raw body as "sha256=<hex>".');
  }
}
