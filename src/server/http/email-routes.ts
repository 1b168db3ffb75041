import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonBody, jsonResponse, openApiApp, refuseWith, scoped } from './openapi-app.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import { listTriaged, RelabelError } from '../../awareness/email-triage/triage-store.js';
import { isTriageCategory, TRIAGE_CATEGORIES } from '../../awareness/email-triage/categories.js';
import { relabelEmail } from '../email-relabel.js';
import { IdParam, intQuery } from './schemas/common.js';
import { RelabelSchema, TriagedEmailSchema } from './schemas/email.js';

const RelabelBody = z.object({ category: z.string().min(1) }).strict();

/**
 * Triaged email over HTTP (under `/api/v1/emails`, bearer-authenticated, tenant-scoped).
 * `GET /?category=&limit=` lists mail with its category, reason and who decided (`read`).
 * `POST /:id/category {category}` is the owner's relabel (`decide`): stored as a training example,
 * the mailbox label follows through the outbox; 200 with the row and the label run's id.
 */
export function emailRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, `Categories: ${TRIAGE_CATEGORIES.join(', ')}.`);
  app.openapi(createRoute({
    method: 'get', path: '/', summary: 'Triaged mail with its category, reason and who decided', ...scoped('read'),
    request: { query: z.object({ category: z.string().optional().openapi({ description: TRIAGE_CATEGORIES.join(', ') }), limit: intQuery(1, 500, 50) }) },
    responses: { 200: jsonResponse(z.object({ emails: z.array(TriagedEmailSchema) }), 'mail, newest first'), 400: errorResponseDoc('not a triage category'), ...authResponses('read') },
  }), async (c) => {
    const category = c.req.query('category');
    if (category && !isTriageCategory(category)) throw new InputError(`"${category}" is not a triage category`, { fix: `Use one of: ${TRIAGE_CATEGORIES.join(', ')}.` });
    const limit = Number(c.req.query('limit') ?? 50);
    const rows = await listTriaged(s.db, c.get('tenantId'), { ...(category && isTriageCategory(category) ? { category } : {}), limit: Number.isFinite(limit) ? limit : 50 });
    return c.json({ emails: rows.map((r) => ({ id: r.id, from: r.from_address, subject: r.subject, category: r.category, reason: r.reason, source: r.source, confidence: r.confidence, messageId: r.message_id, runId: r.run_id, receivedAt: r.created_at })) }, 200);
  });
  app.openapi(createRoute({
    method: 'post', path: '/{id}/category', summary: 'Relabel an email (kept as a training example; the mailbox label follows)', ...scoped('decide'),
    request: { params: IdParam, body: jsonBody(RelabelBody) },
    responses: { 200: jsonResponse(RelabelSchema, 'relabelled'), 400: errorResponseDoc('not a category'), 404: errorResponseDoc('no such email in your business'), ...authResponses('decide') },
  }), async (c) => {
    const id = c.req.valid('param').id;
    try {
      const r = await relabelEmail(s.db, s.host, c.get('tenantId'), id, c.req.valid('json').category, c.get('actor'));
      return c.json({ email: { id: r.triage.id, category: r.triage.category, source: r.triage.source, reason: r.triage.reason }, previous: r.previous, changed: r.changed, runId: r.runId }, 200);
    } catch (err) {
      if (err instanceof RelabelError && err.code === 'not_found') throw new NotFoundError('email', id);
      if (err instanceof RelabelError) throw new InputError(err.message, { fix: err.fix });
      throw err;
    }
  }, refuseWith(() => 'the body must be { "category": "<one of the categories>" }', `Categories: ${TRIAGE_CATEGORIES.join(', ')}.`));
  return app;
}
