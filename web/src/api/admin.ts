import { api, type ApiError } from './client';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Untyped = Record<Method, (path: string, init?: { body?: unknown }) => Promise<{ data?: unknown; error?: unknown; response: Response }>>;

/**
 * Calls for endpoints the generated document does not type yet (the settings, knowledge-files and
 * connection-poll routes are `@hono/zod-openapi` sub-apps; once the document is generated from the
 * route schemas, switch to `api.GET('/api/v1/settings')` and drop the type arguments). Goes through
 * the same client, so the session cookie and the CSRF header come with it.
 */
export async function call<T>(method: Method, path: string, body?: unknown): Promise<{ data?: T; error?: ApiError }> {
  const r = await (api as unknown as Untyped)[method](path, body === undefined ? undefined : { body });
  return r.error ? { error: r.error as ApiError } : { data: r.data as T };
}

/** {@link call}, throwing the error answer (for ActionButton, which shows it). */
export async function must<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const r = await call<T>(method, path, body);
  if (r.error) throw r.error;
  return r.data as T;
}
