import { randomBytes } from 'node:crypto';
import { computeTwilioSignature } from './signature.js';

/**
 * Posts a form-encoded webhook exactly as Twilio does: same field names, and an
 * X-Twilio-Signature over `signedUrl` (default: `url`) when `authToken` is given. Used by
 * `aios simulate`, the demo, tests and benchmarks so they all drive the real webhook path.
 */
export async function postTwilioWebhook(url: string, params: Record<string, string>, opts: { authToken?: string | null; signedUrl?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (opts.authToken) headers['x-twilio-signature'] = computeTwilioSignature(opts.authToken, opts.signedUrl ?? url, params);
  return fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
}

/** A Twilio-shaped id: prefix + 32 hex digits (e.g. `CA…` for calls, `SM…` for messages). */
export function twilioSid(prefix: 'CA' | 'SM' | 'AC'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** The fields of a call status callback for a call nobody answered. */
export function missedCallParams(o: { from: string; to: string; accountSid?: string; callSid?: string; status?: string; callerName?: string }): Record<string, string> {
  const p: Record<string, string> = {
    CallSid: o.callSid ?? twilioSid('CA'),
    AccountSid: o.accountSid ?? 'AC00000000000000000000000000000000',
    From: o.from,
    To: o.to,
    CallStatus: o.status ?? 'no-answer',
    Direction: 'inbound',
    Timestamp: new Date().toUTCString(),
  };
  if (o.callerName) p.CallerName = o.callerName;
  return p;
}

/** The fields of an inbound SMS webhook. */
export function inboundSmsParams(o: { from: string; to: string; body: string; accountSid?: string; messageSid?: string }): Record<string, string> {
  return { MessageSid: o.messageSid ?? twilioSid('SM'), AccountSid: o.accountSid ?? 'AC00000000000000000000000000000000', From: o.from, To: o.to, Body: o.body, NumMedia: '0' };
}
