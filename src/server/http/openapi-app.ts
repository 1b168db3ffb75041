import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Services, Vars } from './services.js';
import { readJson, issuesText } from './json-body.js';
import { requireScope } from './require-scope.js';
import { InputError } from '../../core/errors.js';
import type { Scope } from '../../records/scopes.js';

/** The error answer every route writes: what went wrong and what to do next. */
export const ErrorSchema = z.object({ error: z.string(), message: z.string(), fix: z.string() }).openapi('Error');

/** An error response entry for `createRoute({ responses })`. */
export function errorResponseDoc(description: string) {
  return { content: { 'application/json': { schema: ErrorSchema } }, description };
}

/** A JSON response entry for `createRoute({ responses })`: the handler's `c.json(…, status)` must match `schema`. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

/** A required JSON request body for `createRoute({ request: { body } })`. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { content: { 'application/json': { schema } }, required: true as const, ...(description ? { description } : {}) };
}

/**
 * Reads a JSON body ahead of the zod validator ({@link readJson}: size limit, malformed JSON → 400
 * InputError, an empty body is `{}`, control characters removed) and hands the validator that
 * cleaned JSON whatever Content-Type the client sent, so a route declared with zod-openapi reads
 * its body exactly as the hand-written routes did with `readJson`.
 */
const jsonGuard: MiddlewareHandler<{ Variables: Vars }> = async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const text = JSON.stringify(await readJson(c.req));
    const headers = new Headers(c.req.raw.headers);
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers, body: text, signal: c.req.raw.signal });
    c.req.bodyCache = { text: Promise.resolve(text) } as unknown as typeof c.req.bodyCache; // Hono keeps promises here
  }
  await next();
};

/**
 * What a route declares about its scope: the guard (first middleware, walked by the scope test),
 * the OpenAPI security requirement naming the scope for either way in (a bearer token or the
 * dashboard's session cookie), and the JSON body reader. `body: 'raw'` leaves the body to the
 * handler (CSV uploads, streams).
 */
export function scoped(scope: Scope, opts: { body?: 'json' | 'raw' } = {}) {
  return {
    middleware: opts.body === 'raw' ? [requireScope(scope)] : [requireScope(scope), jsonGuard],
    security: [{ bearer: [scope] }, { session: [scope] }] as Array<Record<string, string[]>>,
  };
}

/** The 401 and 403 every scoped route answers. */
export function authResponses(scope: Scope) {
  return {
    401: errorResponseDoc('missing, unknown, revoked or expired token or session'),
    403: errorResponseDoc(`the token lacks the ${scope} scope (or, for a decision, its principal proposed the action)`),
  };
}

/** The OpenAPI security schemes the `security` of {@link scoped} names. */
export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: 'API token from `aios token create`. Each operation names the scope it needs: read, propose, decide or admin' },
  session: { type: 'apiKey', in: 'cookie', name: 'aios_session', description: 'The dashboard\'s session cookie (`__Host-aios_session` under https), acting with the user\'s role scopes; every change also sends X-AIOS-CSRF' },
} as const;


type HookResult = { success: true } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };

/**
 * A validation hook (third argument of `app.openapi`) that refuses invalid input with this route's
 * own 400 InputError: `message` gets the zod issues text.
 */
export function refuseWith(message: (issues: string) => string, fix: string) {
  return (result: HookResult): undefined => {
    if (!result.success) throw new InputError(message(issuesText(result.error)), { fix });
    return undefined;
  };
}

/** {@link refuseWith} worded as `readBody` words it: `body must be <shape>: <issues>`. */
export function refuseBody(shape: string) {
  return refuseWith((issues) => `body must be ${shape}: ${issues}`, `Send ${shape} as the JSON body; the OpenAPI document at /openapi.json lists every field.`);
}

/**
 * A zod-openapi sub-app for `/api/v1` routes: invalid parameters or bodies are a 400 InputError
 * whose fix says what to send (`fix`). It sets no error handler of its own (Hono would wrap every
 * handler, hiding the scope guards from the route walk): the `/api/v1` app's `errorResponse` writes
 * every error. Mounted with `app.route(…)` on another OpenAPIHono, its routes join the document.
 */
export function openApiApp(s: Pick<Services, 'log'>, fix: string): OpenAPIHono<{ Variables: Vars }> {
  const app = new OpenAPIHono<{ Variables: Vars }>({
    defaultHook: (result) => {
      if (!result.success) throw new InputError(`invalid request: ${issuesText(result.error)}`, { fix });
    },
  });
  void s;
  return app;
}
