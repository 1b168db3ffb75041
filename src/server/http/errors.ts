import type { Context } from 'hono';
import { AiosError, ConflictError, InputError, NotFoundError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { ForbiddenError } from '../../core/forbidden-error.js';

/**
 * Maps typed errors to HTTP answers: 4xx (InputError's status, 403, 404, 409) with message and fix;
 * anything else is a 500. With `audience: 'public'` (routes anyone can call: webhooks, widget,
 * approval links) a 500 says only its code and that the cause is in the log — an AiosError's
 * message can name files under AIOS_HOME, which a stranger must not see. Authenticated callers
 * (the default, `'owner'`) get the message and fix.
 */
export function errorResponse(c: Context, err: unknown, log: Logger, audience: 'owner' | 'public' = 'owner'): Response {
  const body = (e: AiosError, status: number) => c.json({ error: e.code, message: e.message, fix: fixFor(e.fix, status) }, status as 400);
  if (err instanceof InputError) return body(err, err.status);
  if (err instanceof NotFoundError) return body(err, 404);
  if (err instanceof ForbiddenError) return body(err, 403);
  if (err instanceof ConflictError) return body(err, 409);
  if (err instanceof AiosError) {
    log.error({ err, path: c.req.path }, 'request failed');
    if (audience === 'public') return c.json({ error: err.code, message: 'this request could not be handled; the cause is in the AIOS log', fix: 'Try again later; the business owner can read the cause in the AIOS log.' }, 500);
    return body(err, 500);
  }
  log.error({ err }, 'unexpected error');
  return c.json({ error: 'internal', message: 'internal error; see the server log', fix: fixFor('', 500) }, 500);
}

/**
 * The `fix` of an HTTP error: the error's own, or — never empty — a next step that follows from
 * the status (e.g. 400: correct the request as the message says; 500: read the AIOS log).
 */
export function fixFor(fix: string, status: number): string {
  if (fix.trim()) return fix;
  if (status === 401) return 'Send a valid token: Authorization: Bearer <token> (create one with `aios token create`).';
  if (status === 403) return 'Use a token with the scope this operation needs (see the OpenAPI document).';
  if (status === 404) return 'Check the id or path; list the items to find a valid one.';
  if (status === 409) return 'Read the current state again and retry only if it still applies.';
  if (status === 413) return 'Send a smaller body; split larger data into several requests.';
  if (status === 429) return 'Wait a moment and try again.';
  if (status >= 400 && status < 500) return 'Correct the request as the message says and send it again (the OpenAPI document at /openapi.json lists every field).';
  return 'Try again later; if it persists, the cause is in the AIOS log (the server\'s output).';
}
