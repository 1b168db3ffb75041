import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonBody, jsonResponse, openApiApp, refuseWith, scoped } from './openapi-app.js';
import { InputError } from '../../core/errors.js';
import { dismissSignal, parseSnoozeFor, snoozeSignal } from '../../awareness/signal-lifecycle.js';
import type { SignalStatus } from '../../store/schema.js';
import { limitParam } from './limit-param.js';
import { IdParam, LimitQuery } from './schemas/common.js';
import { DismissBodySchema, SignalSchema, SnoozeBodySchema } from './schemas/signal.js';

/** Every signal status (`?status=`). */
export const SIGNAL_STATUSES: readonly SignalStatus[] = ['open', 'handling', 'snoozed', 'resolved', 'dismissed'];

const One = z.object({ signal: SignalSchema });
const acted = (what: string) => ({
  200: jsonResponse(One, 'the signal'), 400: errorResponseDoc('bad length or time (the fix says what to write)'), 404: errorResponseDoc('no such signal in your business'),
  409: errorResponseDoc(`already resolved${what}`), ...authResponses('decide'),
});

/**
 * Signals over HTTP (under `/api/v1/signals`, bearer-authenticated, tenant-scoped).
 * `GET /?status=&kind=&limit=` lists them newest first (`read`); `POST /:id/snooze` with
 * `{"for": "2d"}` or `{"until": ISO}` hides one until then, and `POST /:id/dismiss` with
 * `{"reason"?}` closes it for good (`decide`: what AIOS raised is the owner's to set aside).
 */
export function signalRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, 'Use ?limit=50 (any whole number from 1 to 500), or leave it out.');

  app.openapi(createRoute({
    method: 'get', path: '/', summary: 'Signals, newest first', ...scoped('read'),
    request: { query: z.object({ status: z.string().optional().openapi({ description: `${SIGNAL_STATUSES.join(', ')} or all` }), kind: z.string().optional().openapi({ description: 'e.g. invoice_overdue' }), limit: LimitQuery }) },
    responses: { 200: jsonResponse(z.object({ signals: z.array(SignalSchema) }), 'signals'), 400: errorResponseDoc('unknown status or kind, or limit out of range'), ...authResponses('read') },
  }), async (c) => {
    let q = s.db.selectFrom('signals').selectAll().where('tenant_id', '=', c.get('tenantId')).orderBy('created_at', 'desc').limit(limitParam(c.req.query('limit')));
    const status = c.req.query('status');
    if (status && status !== 'all') {
      if (!SIGNAL_STATUSES.includes(status as SignalStatus)) throw new InputError(`status must be one of ${SIGNAL_STATUSES.join(', ')} or all, not "${status}"`, { fix: 'Use ?status=open (or snoozed, handling, resolved, dismissed, all), or leave it out for all.' });
      q = q.where('status', '=', status as SignalStatus);
    }
    const kind = c.req.query('kind');
    if (kind) {
      if (!/^[a-z][a-z0-9_]{0,60}$/.test(kind)) throw new InputError(`kind "${kind}" is not a signal kind`, { fix: 'Use a kind such as invoice_overdue or email_unanswered (lowercase letters and underscores).' });
      q = q.where('kind', '=', kind);
    }
    return c.json({ signals: await q.execute() }, 200);
  });

  app.openapi(createRoute({
    method: 'post', path: '/{id}/snooze', summary: 'Hide a signal until a time ({"until": ISO}) or for a while ({"for": "2d"})', ...scoped('decide'),
    request: { params: IdParam, body: jsonBody(SnoozeBodySchema) }, responses: acted(' or dismissed'),
  }), async (c) => {
    const b = c.req.valid('json');
    const now = s.clock.now();
    let until: Date;
    if ('for' in b) until = new Date(now.getTime() + parseSnoozeFor(b.for));
    else {
      until = new Date(b.until);
      if (Number.isNaN(until.getTime())) throw new InputError(`"${b.until}" is not a time`, { fix: 'Write until as ISO 8601, e.g. 2026-12-08T09:00:00-05:00, or send {"for": "2d"}.' });
    }
    const signal = await snoozeSignal(s.db, c.get('tenantId'), c.req.valid('param').id, until, now, c.get('actor'));
    return c.json({ signal }, 200);
  }, refuseWith(() => 'body must be {"for": "2d"} or {"until": "2026-12-08T09:00:00-05:00"}', 'Send "for" as a length (30m, 4h, 2d, 1w) or "until" as an ISO 8601 time.'));

  app.openapi(createRoute({
    method: 'post', path: '/{id}/dismiss', summary: 'Close a signal for good, with an optional reason (kept in the audit log)', ...scoped('decide'),
    request: { params: IdParam, body: jsonBody(DismissBodySchema) }, responses: acted(''),
  }), async (c) => {
    const signal = await dismissSignal(s.db, c.get('tenantId'), c.req.valid('param').id, c.req.valid('json').reason?.trim() || null, s.clock.now(), c.get('actor'));
    return c.json({ signal }, 200);
  }, refuseWith(() => 'body must be {} or {"reason": "why"}', 'Send an optional "reason" (at most 500 characters); it is kept in the audit log.'));
  return app;
}
