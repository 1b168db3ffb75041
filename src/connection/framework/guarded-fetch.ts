import type { NetworkPolicy } from '../../core/config.js';
import { checkUrl, outboundPolicy } from './address-policy.js';
import { ConnectorError } from './connector-error.js';
import { pinnedFetch } from './pinned-fetch.js';

/** Redirects followed per request before giving up. */
export const MAX_REDIRECTS = 5;

/**
 * Wraps a `fetch` so that every request — and every redirect hop — goes only to addresses the
 * instance's {@link NetworkPolicy} allows (`address-policy.ts`). Redirects are followed here, one
 * checked hop at a time (fetch's own following would reach any address); a caller that asks for
 * `redirect: 'manual'` or `'error'` gets fetch's behaviour for the hop it asked about.
 *
 * Without `base`, requests go through {@link pinnedFetch}: the connection resolves the host once,
 * through the policy, so a DNS answer that changes after the check (rebinding) is never used. A
 * `base` given by a caller (tests) is used as it is: only the check before each hop applies.
 * @throws ConnectorError `address_refused` (see checkUrl) before any byte is sent to a refused address
 */
export function guardFetch(base?: typeof fetch, policy?: NetworkPolicy): typeof fetch {
  return async (input, init = {}) => {
    const p = policy ?? outboundPolicy();
    const send = base ?? pinnedFetch(p);
    let url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (init.redirect === 'manual' || init.redirect === 'error') {
      await checkUrl(url, p);
      return send(input, init);
    }
    let method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    let body = init.body;
    let headers = init.headers;
    const origin = new URL(url).origin;
    for (let hop = 0; ; hop++) {
      await checkUrl(url, p);
      const res = await send(hop === 0 ? input : url, { ...init, method, body, headers, redirect: 'manual' });
      const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
      if (!location) return res;
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new ConnectorError('protocol', `too many redirects (over ${MAX_REDIRECTS}) from ${new URL(url).origin}`, { fix: 'Give the final address of the service.' });
      url = new URL(location, url).href;
      if (new URL(url).origin !== origin && headers) {
        // As fetch does: credentials are not sent on to another origin.
        const h = new Headers(headers);
        h.delete('authorization');
        h.delete('cookie');
        headers = h;
      }
      // As browsers do: 303 becomes GET, and so do 301/302 after a POST.
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
      }
    }
  };
}
