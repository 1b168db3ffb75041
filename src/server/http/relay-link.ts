import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../../connection/framework/secret-box.js';

/** The WebSocket path of ConversationRelay sessions. */
export const RELAY_PATH = '/hooks/twilio/relay';

/**
 * Why a per-call key: Twilio signs the WebSocket upgrade over its URL alone (no body), so a
 * signature seen once would open any later session on the same bare URL. AIOS puts the CallSid and
 * an HMAC of it (a key derived from the instance secret) into the URL it gives Twilio in the TwiML:
 * the signature then covers them, and a session can only speak for the call it was opened for.
 */
function keyOf(box: SecretBox, callSid: string): string {
  return createHmac('sha256', box.deriveKey('relay-sessions')).update(callSid).digest('base64url').slice(0, 32);
}

/** The wss:// URL of one call's ConversationRelay session (`base`: the public http(s) URL). */
export function relayUrl(box: SecretBox, base: string, callSid: string): string {
  return `${base.replace(/^http/, 'ws')}${RELAY_PATH}?call=${encodeURIComponent(callSid)}&k=${keyOf(box, callSid)}`;
}

/**
 * The CallSid a relay upgrade request is bound to, or null when its URL carries no valid key.
 * @param requestUrl the request's path and query, e.g. `/hooks/twilio/relay?call=CA…&k=…`.
 */
export function relayCallOf(box: SecretBox, requestUrl: string): string | null {
  const q = new URL(requestUrl, 'http://relay').searchParams;
  const call = q.get('call');
  const k = q.get('k');
  if (!call || !k) return null;
  const want = Buffer.from(keyOf(box, call));
  const got = Buffer.from(k);
  return got.length === want.length && timingSafeEqual(got, want) ? call : null;
}
