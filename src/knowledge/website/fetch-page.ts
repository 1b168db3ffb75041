/** What one HTTP request of the crawler gave back (the body already read, within limits). */
export interface FetchedPage {
  status: number;
  /** The `Location` of a redirect (resolved against the request URL), else null. */
  location: string | null;
  /** Lower-case media type without parameters (`text/html`), or '' when absent. */
  contentType: string;
  /** The body decoded as UTF-8 (up to `maxBytes`). */
  text: string;
  /** Bytes read (at most `maxBytes`). */
  bytes: number;
  /** True when the body was longer than `maxBytes` and was cut there. */
  cut: boolean;
}

/** Limits of one request. */
export interface FetchLimits {
  /** Whole request (headers and body), in milliseconds. */
  timeoutMs: number;
  /** Body bytes read at most; the rest is not downloaded. */
  maxBytes: number;
}

/** The crawler's user agent (robots.txt rules are matched against "AIOS"). */
export const USER_AGENT = 'AIOS (website knowledge import)';

/**
 * One GET without following redirects (`redirect: 'manual'`: the crawler decides, hop by hop,
 * and the guarded fetch checks each hop's address). The body is streamed and cut at `maxBytes`.
 * @throws whatever `fetchFn` throws (an address refusal, a network error), or a TimeoutError
 */
export async function fetchPage(fetchFn: typeof fetch, url: string, limits: FetchLimits, accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.5'): Promise<FetchedPage> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const res = await fetchFn(url, { redirect: 'manual', signal, headers: { 'user-agent': USER_AGENT, accept } });
  const loc = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let cut = false;
  if (res.body && !loc) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = limits.maxBytes - bytes;
      if (value.byteLength > room) {
        chunks.push(value.subarray(0, room));
        bytes += room;
        cut = true;
        await reader.cancel().catch(() => undefined);
        break;
      }
      chunks.push(value);
      bytes += value.byteLength;
    }
  } else await res.body?.cancel().catch(() => undefined);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
  return { status: res.status, location: loc ? new URL(loc, url).href : null, contentType, text, bytes, cut };
}
