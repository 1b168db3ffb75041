import { ConnectorError } from '../framework/connector-error.js';
import { guardFetch } from '../framework/guarded-fetch.js';

/**
 * HTTP for CalDAV and ICS feeds: Basic auth added to every request, and transport failures mapped
 * to ConnectorError kinds (auth never retried; network, 5xx and 429 retried by the engine).
 * Other statuses (404, 412…) are returned for the caller to interpret. Every request and redirect
 * hop goes only to addresses the instance allows (`guardFetch`, `address-policy.ts`).
 */

export interface DavAuth {
  username?: string;
  password?: string;
}

/** A `fetch` that authenticates and throws ConnectorError for auth, rate-limit, 5xx and network failures. */
export function davFetch(auth: DavAuth, unguarded?: typeof fetch, signal?: AbortSignal): typeof fetch {
  const base = guardFetch(unguarded);
  const authz = auth.username !== undefined ? `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}` : null;
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (authz) headers.set('Authorization', authz);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let res: Response;
    try {
      res = await base(input, { ...init, headers, signal: init.signal ?? signal });
    } catch (err) {
      if (err instanceof ConnectorError) throw err;
      throw new ConnectorError('network', `Cannot reach ${new URL(url).origin}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`, {
        fix: 'Check the server URL and that the server is running; AIOS retries network errors by itself.',
        cause: err,
      });
    }
    if (res.status === 403 && init.method === 'REPORT') {
      // RFC 6578: an expired sync-token is a 403 with the valid-sync-token precondition, not an auth error.
      const body = await res.text();
      if (body.includes('valid-sync-token')) return new Response(body, { status: 403, headers: res.headers });
      res = new Response(body, { status: 403 });
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new ConnectorError('auth', `${new URL(url).origin} refused the credentials (HTTP ${res.status}) for ${new URL(url).pathname}`, {
        fix: 'Check the username and password (or app password) of this calendar connection, then run the connection check again.',
      });
    }
    if (res.status === 429) {
      await res.body?.cancel();
      const ra = Number(res.headers.get('retry-after'));
      throw new ConnectorError('rate_limit', `${new URL(url).origin} asked AIOS to slow down (HTTP 429)`, { fix: 'Nothing to do: AIOS waits and retries.', ...(Number.isFinite(ra) && ra > 0 ? { retryAfterSeconds: ra } : {}) });
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      throw new ConnectorError('network', `${new URL(url).origin} failed with HTTP ${res.status} on ${init.method ?? 'GET'} ${new URL(url).pathname}`, { fix: 'A server-side problem; AIOS retries. If it persists, check the server logs.' });
    }
    return res;
  };
}

/** Resolves `ref` (absolute URL or path) against `base` and ends a collection URL with `/`. */
export function collectionUrl(ref: string, base: string): string {
  const u = new URL(ref, base).href;
  return u.endsWith('/') ? u : `${u}/`;
}
