import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Services, Vars } from './services.js';
import { readJson } from './json-body.js';
import { requireScope } from './require-scope.js';
import { InputError } from '../../core/errors.js';
import type { Scope } from '../../records/scopes.js';

/** The error answer every route writes: what went wrong and what to do next. */
export const ErrorSchema = z.object({ error: z.string(), message: z.string(), fix: z.string() });

/** An error response entry for `createRoute({ responses })`. */
export function errorResponseDoc(description: string) {
  return { content: { 'application/json': { schema: ErrorSchema } }, description };
}

/**
 * Reads a JSON body ahead of the zod validator ({@link readJson}: size limit, malformed JSON → 400
 * InputError), so a bad body gets the API's own error answer; the validator then reuses the
 * cached body.
 */
const jsonGuard: MiddlewareHandler<{ Variables: Vars }> = async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') await readJson(c.req);
  await next();
};

/**
 * What a route declares about its scope: the guard (first middleware, walked by the scope test),
 * the OpenAPI security requirement naming the scope, and the 401/403 it answers.
 */
export function scoped(scope: Scope) {
  return {
    middleware: [requireScope(scope), jsonGuard],
    security: [{ bearer: [scope] }],
  };
}

/** The 401 and 403 every scoped route answers. */
export function authResponses(scope: Scope) {
  return {
    401: errorResponseDoc('missing, unknown, revoked or expired token or session'),
    403: errorResponseDoc(`the token lacks the ${scope} scope (or, for a decision, its principal proposed the action)`),
  };
}

function issuesText(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'} ${i.message}`).join('; ');
}

/**
 * A zod-openapi sub-app for `/api/v1` routes: invalid parameters or bodies are a 400 InputError
 * whose fix says what to send (`fix`). It sets no error handler of its own (Hono would wrap every
 * handler, hiding the scope guards from the route walk): the `/api/v1` app's `errorResponse` writes
 * every error.
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

/**
 * The OpenAPI paths of a zod-openapi sub-app mounted under `/api/v1` (for the served document and
 * the dashboard's generated client types).
 */
export function mountedPaths(app: OpenAPIHono<any>, prefix = '/api/v1'): Record<string, Record<string, unknown>> {
  const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'AIOS API', version: '1' } });
  return Object.fromEntries(Object.entries(doc.paths ?? {}).map(([p, ops]) => [`${prefix}${p}`, ops as Record<string, unknown>]));
}
