import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** The CSRF token of the current session (set by the session provider after login). */
let csrfToken = '';
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the server says the login is gone (401, or 403 session_invalid). */
let onLoggedOut: () => void = () => undefined;
export function setLoggedOutHandler(fn: () => void): void {
  onLoggedOut = fn;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') request.headers.set('X-AIOS-CSRF', csrfToken);
    return request;
  },
  async onResponse({ response }) {
    if (response.status === 401) onLoggedOut();
    if (response.status === 403) {
      const body = (await response.clone().json().catch(() => null)) as { error?: string } | null;
      if (body?.error === 'session_invalid') onLoggedOut();
    }
    return response;
  },
};

/**
 * The typed API client: paths, parameters and bodies come from `schema.d.ts`, generated from the
 * server's route schemas (`npm run gen:api`). Same origin, session cookie, CSRF header on changes.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(auth);

/** An API error as the server writes it: what went wrong and what to do next. */
export interface ApiError {
  error: string;
  message: string;
  fix?: string;
}

/** The readable message of an error answer (message, then fix). */
export function errorText(e: unknown): string {
  const x = e as Partial<ApiError> | undefined;
  if (!x || typeof x !== 'object') return String(e ?? 'Something went wrong.');
  return [x.message, x.fix].filter(Boolean).join(' — ') || 'Something went wrong.';
}

/** Plain JSON call for endpoints outside the typed document (login). */
export async function postJson<T>(path: string, body: unknown): Promise<{ ok: true; data: T } | { ok: false; status: number; error: ApiError }> {
  const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-AIOS-CSRF': csrfToken }, body: JSON.stringify(body) });
  const data = (await res.json().catch(() => ({ error: 'bad_response', message: `HTTP ${res.status}` }))) as T & ApiError;
  return res.ok ? { ok: true, data } : { ok: false, status: res.status, error: data };
}
