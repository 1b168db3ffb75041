import { Hono } from 'hono';
import { z } from 'zod';
import type { Services, Vars } from './services.js';
import { requireScope } from './require-scope.js';
import { readJson } from './json-body.js';
import { InputError } from '../../core/errors.js';
import { dismissSignal, parseSnoozeFor, snoozeSignal } from '../../awareness/signal-lifecycle.js';
import type { SignalStatus } from '../../store/schema.js';

/** Every signal status (`?status=`). */
export const SIGNAL_STATUSES: readonly SignalStatus[] = ['open', 'handling', 'snoozed', 'resolved', 'dismissed'];

const SnoozeBody = z.union([z.object({ until: z.string().min(1) }).strict(), z.object({ for: z.string().min(1) }).strict()]);
const DismissBody = z.object({ reason: z.string().max(500).optional() }).strict();

function limitOf(raw: string | undefined): number {
  const n = raw === undefined ? 50 : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new InputError('limit must be an integer 1..500', { fix: 'Use ?limit=50 (any whole number from 1 to 500), or leave it out.' });
  return n;
}

/**
 * Signals over HTTP (under `/api/v1/signals`, bearer-authenticated, tenant-scoped).
 * `GET /?status=&kind=&limit=` lists them newest first (`read`); `POST /:id/snooze` with
 * `{"for": "2d"}` or `{"until": ISO}` hides one until then, and `POST /:id/dismiss` with
 * `{"reason"?}` closes it for good (`decide`: what AIOS raised is the owner's to set aside).
 */
export function signalRoutes(s: Services): Hono<{ Variables: Vars }> {
  const app = new Hono<{ Variables: Vars }>();

  app.get('/', requireScope('read'), async (c) => {
    let q = s.db.selectFrom('signals').selectAll().where('tenant_id', '=', c.get('tenantId')).orderBy('created_at', 'desc').limit(limitOf(c.req.query('limit')));
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
    return c.json({ signals: await q.execute() });
  });

  app.post('/:id/snooze', requireScope('decide'), async (c) => {
    const parsed = SnoozeBody.safeParse(await readJson(c.req));
    if (!parsed.success) throw new InputError('body must be {"for": "2d"} or {"until": "2026-12-08T09:00:00-05:00"}', { fix: 'Send "for" as a length (30m, 4h, 2d, 1w) or "until" as an ISO 8601 time.' });
    const now = s.clock.now();
    let until: Date;
    if ('for' in parsed.data) until = new Date(now.getTime() + parseSnoozeFor(parsed.data.for));
    else {
      until = new Date(parsed.data.until);
      if (Number.isNaN(until.getTime())) throw new InputError(`"${parsed.data.until}" is not a time`, { fix: 'Write until as ISO 8601, e.g. 2026-12-08T09:00:00-05:00, or send {"for": "2d"}.' });
    }
    const signal = await snoozeSignal(s.db, c.get('tenantId'), c.req.param('id'), until, now, c.get('actor'));
    return c.json({ signal });
  });

  app.post('/:id/dismiss', requireScope('decide'), async (c) => {
    const parsed = DismissBody.safeParse(await readJson(c.req));
    if (!parsed.success) throw new InputError('body must be {} or {"reason": "why"}', { fix: 'Send an optional "reason" (at most 500 characters); it is kept in the audit log.' });
    const signal = await dismissSignal(s.db, c.get('tenantId'), c.req.param('id'), parsed.data.reason?.trim() || null, s.clock.now(), c.get('actor'));
    return c.json({ signal });
  });
  return app;
}
