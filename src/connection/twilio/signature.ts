/**
 * X-Twilio-Signature: HMAC-SHA1 (keyed with the account's auth token) over the full request URL
 * followed by the POST parameters sorted by name, each name immediately followed by its value,
 * encoded as base64.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Form parameters as Twilio posts them; a repeated name carries several values. */
export type TwilioParams = Record<string, string | string[]>;

/**
 * Computes the X-Twilio-Signature for a request.
 *
 * @param authToken the account's auth token (the HMAC key)
 * @param url the full URL Twilio requested, including scheme, host, path and query string
 * @param params the POST form parameters (empty for GET requests)
 * @returns base64 HMAC-SHA1 digest
 */
export function computeTwilioSignature(authToken: string, url: string, params: TwilioParams): string {
  let data = url;
  const names = Object.keys(params).sort(compareCodeUnits);
  for (const name of names) {
    const value = params[name];
    const values = Array.isArray(value) ? [...value].sort(compareCodeUnits) : [value ?? ''];
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * Checks an X-Twilio-Signature header in constant time. The signature is accepted when it matches
 * the URL as given, or the same URL with the scheme's default port (:443 for https, :80 for http)
 * added or removed, since Twilio may sign either form.
 *
 * @param authToken the account's auth token
 * @param url the full URL the request was received on (as Twilio saw it, i.e. the public URL)
 * @param params the POST form parameters
 * @param signature the X-Twilio-Signature header value; missing or empty is never valid
 * @returns true when the signature is valid for one of the URL forms
 */
export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: TwilioParams,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const given = Buffer.from(signature, 'utf8');
  let ok = false;
  for (const candidate of urlVariants(url)) {
    const expected = Buffer.from(computeTwilioSignature(authToken, candidate, params), 'utf8');
    // Check every variant (no early exit) so timing does not reveal which form matched.
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}

/** The URL as given plus its form with the default port toggled (added if absent, removed if present). */
export function urlVariants(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : undefined;
  if (!defaultPort) return [url];
  // Edit the authority textually so the rest of the URL keeps its exact encoding.
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s.exec(url);
  if (!m) return [url];
  const [, scheme = '', authority = '', rest = ''] = m;
  const portMatch = /^(.*?)(?::(\d*))?$/s.exec(authority);
  const hostPart = portMatch?.[1] ?? authority;
  const port = portMatch?.[2];
  // IPv6 literal "[::1]" ends with "]": the lazy match above keeps it intact.
  if (port === undefined) return [url, `${scheme}${hostPart}:${defaultPort}${rest}`];
  if (port === defaultPort) return [url, `${scheme}${hostPart}${rest}`];
  return [url];
}

/** Sorts by UTF-16 code units, as Twilio's own libraries do (not locale collation). */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
