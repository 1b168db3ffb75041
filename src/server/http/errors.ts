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
  if (err instanceof InputError) return c.json({ error: err.code, message: err.message, fix: err.fix }, err.status as 400);
  if (err instanceof NotFoundError) return c.json({ error: err.code, message: err.message, fix: err.fix }, 404);
  if (err instanceof ForbiddenError) return c.json({ error: err.code, message: err.message, fix: err.fix }, 403);
  if (err instanceof ConflictError) return c.json({ error: err.code, message: err.message, fix: err.fix }, 409);
  if (err instanceof AiosError) {
    log.error({ err, path: c.req.path }, 'request failed');
    if (audience === 'public') return c.json({ error: err.code, message: 'this request could not be handled; the cause is in the AIOS log', fix: 'Try again later; the business owner can read the cause in the AIOS log.' }, 500);
    return c.json({ error: err.code, message: err.message, fix: err.fix }, 500);
  }
  log.error({ err }, 'unexpected error');
  return c.json({ error: 'internal', message: 'internal error; see the server log' }, 500);
}
