import { createRoute, z } from '@hono/zod-openapi';
import { join } from 'node:path';
import type { Services } from './services.js';
import { authResponses, errorResponseDoc, openApiApp, scoped } from './openapi-app.js';
import { decideApproval } from '../../autonomy/approvals/approvals.js';
import { answerGap, recordGap } from '../../knowledge/index.js';
import { AiosError, NotFoundError } from '../../core/errors.js';
import { ForbiddenError } from '../../core/forbidden-error.js';
import { ConflictError, InputError } from '../../core/errors.js';
import { cleanDeep } from '../../core/clean-text.js';
import { audit } from '../../records/audit.js';

/** Most approvals one batch decides. */
export const BATCH_MAX = 50;

const BatchBody = z.object({
  ids: z.array(z.string().min(1).max(100)).min(1).max(BATCH_MAX),
  decision: z.enum(['approved', 'rejected']),
  reason: z.string().max(1000).optional().describe('required to reject'),
}).strict();
const BatchResult = z.object({
  id: z.string(),
  ok: z.boolean(),
  status: z.string().describe('approved | rejected, or the error code (forbidden, conflict, …)'),
  message: z.string().nullable(),
  fix: z.string().nullable(),
});
const BatchAnswer = z.object({ results: z.array(BatchResult), decided: z.number().int() });

const batchRoute = createRoute({
  method: 'post', path: '/approvals/batch', summary: 'Decide several approvals at once; each goes through the same checks as one decision (separation of duties included) and reports its own result',
  ...scoped('decide'),
  request: { body: { content: { 'application/json': { schema: BatchBody } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: BatchAnswer } }, description: 'one result per id, in order' },
    400: errorResponseDoc('bad body (the fix says what to send)'),
    404: errorResponseDoc('an id is not an approval of your business: nothing was decided'),
    ...authResponses('decide'),
  },
});

const TeachBody = z.object({
  question: z.string().min(1).max(1000).describe('the customer\'s question, as the owner confirms it'),
  answer: z.string().min(1).max(5000).describe('what the business answers from now on, e.g. "We don\'t work Sundays."'),
}).strict();
const TeachAnswer = z.object({ gapId: z.string(), file: z.string(), question: z.string() });
const teachRoute = createRoute({
  method: 'post', path: '/approvals/{id}/teach', summary: 'Turn an approval\'s rejection reason into knowledge: the question and the owner\'s answer become an FAQ the knowledge answers from',
  ...scoped('decide'),
  request: { params: z.object({ id: z.string().min(1).max(100) }), body: { content: { 'application/json': { schema: TeachBody } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: TeachAnswer } }, description: 'written to faq/ in the knowledge folder and indexed' },
    400: errorResponseDoc('empty question or answer'),
    404: errorResponseDoc('no such approval in your business'),
    ...authResponses('decide'),
  },
});

function failure(id: string, err: unknown) {
  if (err instanceof ForbiddenError) return { id, ok: false, status: 'forbidden', message: err.message, fix: err.fix || null };
  if (err instanceof ConflictError) return { id, ok: false, status: 'conflict', message: err.message, fix: err.fix || null };
  if (err instanceof AiosError) return { id, ok: false, status: err.code, message: err.message, fix: err.fix || null };
  throw err;
}

/**
 * `POST /approvals/batch {ids, decision, reason?}` (decide) and `POST /approvals/:id/teach
 * {question, answer}` (decide), under `/api/v1`. A batch first checks that every id is an
 * approval of the caller's business (else 404 and nothing is decided), then decides each through
 * `decideApproval` exactly like the single route and hands the decision to its run.
 */
export function approvalBatchRoutes(s: Services) {
  const app = openApiApp(s, 'Send {"ids": ["apr_…"], "decision": "approved"} (or "rejected" with "reason").');
  app.openapi(batchRoute, async (c) => {
    const body = cleanDeep(c.req.valid('json'));
    const t = c.get('tenantId');
    const ids = [...new Set(body.ids)];
    if (body.decision === 'rejected' && !body.reason?.trim()) throw new InputError('a rejection needs a reason', { fix: 'Send "reason": why, e.g. "we do not work Sundays"; it is kept and can become knowledge.' });
    const found = await s.db.selectFrom('approvals').select('id').where('tenant_id', '=', t).where('id', 'in', ids).execute();
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new NotFoundError('approval', missing.join(', '));
    const results = [];
    for (const id of ids) {
      try {
        const { approval, delivery } = await decideApproval(s.db, {
          tenantId: t, approvalId: id, decision: body.decision, edits: null, reason: body.reason ?? null,
          actor: c.get('actor'), principalId: c.get('principal').id, now: s.clock.now(),
        });
        await s.host.deliverDecision(approval.run_id, delivery);
        results.push({ id, ok: true, status: approval.status, message: null, fix: null });
      } catch (err) {
        results.push(failure(id, err));
      }
    }
    return c.json({ results, decided: results.filter((r) => r.ok).length }, 200);
  });

  app.openapi(teachRoute, async (c) => {
    const body = cleanDeep(c.req.valid('json'));
    const t = c.get('tenantId');
    const id = c.req.valid('param').id;
    const approval = await s.db.selectFrom('approvals').select(['id', 'reason']).where('tenant_id', '=', t).where('id', '=', id).executeTakeFirst();
    if (!approval) throw new NotFoundError('approval', id);
    const { gap } = await recordGap(s.db, t, body.question);
    const res = await answerGap(s.db, t, join(s.tenants.get(t).dir, 'knowledge'), gap.id, body.answer, { now: s.clock.now() });
    await audit(s.db, t, c.get('actor'), 'approval.taught', approval.id, { gapId: gap.id, file: res.file });
    return c.json({ gapId: gap.id, file: res.file, question: res.gap.question }, 200);
  });
  return app;
}
