import { Hono } from 'hono';
import { z } from 'zod';
import type { Services, Vars } from './services.js';
import { requireScope } from './require-scope.js';
import { readJson } from './json-body.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import { listTriaged, RelabelError } from '../../awareness/email-triage/triage-store.js';
import { isTriageCategory, TRIAGE_CATEGORIES } from '../../awareness/email-triage/categories.js';
import { relabelEmail } from '../email-relabel.js';

const RelabelBody = z.object({ category: z.string().min(1) }).strict();

/**
 * Triaged email over HTTP (under `/api/v1/emails`, bearer-authenticated, tenant-scoped).
 * `GET /?category=&limit=` lists mail with its category, reason and who decided (`read`).
 * `POST /:id/category {category}` is the owner's relabel (`decide`): stored as a training example,
 * the mailbox label follows through the outbox; 200 with the row and the label run's id.
 */
export function emailRoutes(s: Services): Hono<{ Variables: Vars }> {
  const app = new Hono<{ Variables: Vars }>();
  app.get('/', requireScope('read'), async (c) => {
    const category = c.req.query('category');
    if (category && !isTriageCategory(category)) throw new InputError(`"${category}" is not a triage category`, { fix: `Use one of: ${TRIAGE_CATEGORIES.join(', ')}.` });
    const limit = Number(c.req.query('limit') ?? 50);
    const rows = await listTriaged(s.db, c.get('tenantId'), { ...(category && isTriageCategory(category) ? { category } : {}), limit: Number.isFinite(limit) ? limit : 50 });
    return c.json({ emails: rows.map((r) => ({ id: r.id, from: r.from_address, subject: r.subject, category: r.category, reason: r.reason, source: r.source, confidence: r.confidence, messageId: r.message_id, runId: r.run_id, receivedAt: r.created_at })) });
  });
  app.post('/:id/category', requireScope('decide'), async (c) => {
    const body = RelabelBody.safeParse(await readJson(c.req));
    if (!body.success) throw new InputError('the body must be { "category": "<one of the categories>" }', { fix: `Categories: ${TRIAGE_CATEGORIES.join(', ')}.` });
    try {
      const r = await relabelEmail(s.db, s.host, c.get('tenantId'), c.req.param('id'), body.data.category, c.get('actor'));
      return c.json({ email: { id: r.triage.id, category: r.triage.category, source: r.triage.source, reason: r.triage.reason }, previous: r.previous, changed: r.changed, runId: r.runId });
    } catch (err) {
      if (err instanceof RelabelError && err.code === 'not_found') throw new NotFoundError('email', c.req.param('id'));
      if (err instanceof RelabelError) throw new InputError(err.message, { fix: err.fix });
      throw err;
    }
  });
  return app;
}
