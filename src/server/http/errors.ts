import type { Context } from 'hono';
import { AiosError, ConflictError, InputError, NotFoundError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { ForbiddenError } from '../../core/forbidden-error.js';

/** Maps typed errors to HTTP answers: 400/403/404/409 with message and fix; anything else is a 500. */
export function errorResponse(c: Context, err: unknown, log: Logger): Response {
  if (err instanceof InputError) return c.json({ error: err.code, message: err.message, fix: err.fix }, err.status as 400);
  if (err instanceof NotFoundError) return c.json({ error: err.code, message: err.message, fix: err.fix }, 404);
  if (err instanceof ForbiddenError) return c.json({ error: err.code, message: err.message, fix: err.fix }, 403);
  if (err instanceof ConflictError) return c.json({ error: err.code, message: err.message, fix: err.fix }, 409);
  if (err instanceof AiosError) {
    log.error({ err }, 'request failed');
    return c.json({ error: err.code, message: err.message, fix: err.fix }, 500);
  }
  log.error({ err }, 'unexpected error');
  return c.json({ error: 'internal', message: 'internal error; see the server log' }, 500);
}
