import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonBody, jsonResponse, openApiApp, refuseWith, scoped } from './openapi-app.js';
import { decideApproval } from '../../autonomy/approvals/approvals.js';
import { countSegments, type SegmentCount } from '../../core/sms-segments.js';
import { limitParam } from './limit-param.js';
import { IdParam, LimitQuery } from './schemas/common.js';
import { ApprovalSchema, DecideBodySchema, DecisionSchema } from './schemas/approval.js';

/** The segment count of an approval's proposed SMS text, or null for other actions. */
function smsSegmentsOf(proposal: unknown): SegmentCount | null {
  const p = proposal as { kind?: string; body?: unknown } | null;
  return p?.kind === 'sms.send' && typeof p.body === 'string' ? countSegments(p.body) : null;
}

const DECIDE_FIX = 'Send {"body": "edited text"} to edit-then-approve, or {"reason": "..."} to reject.';

/**
 * `GET /approvals?status=&limit=` (read) and the decisions `POST /approvals/{id}/approve|reject`
 * (decide; whoever proposed never approves).
 */
export function approvalRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, DECIDE_FIX);
  const { db } = s;

  app.openapi(createRoute({
    method: 'get', path: '/approvals', summary: 'Approvals (default: pending), newest first; `untrusted` marks the parts that came from outside the business', ...scoped('read'),
    request: { query: z.object({ status: z.string().optional().openapi({ description: 'pending (default), approved, rejected, expired or all' }), limit: LimitQuery }) },
    responses: { 200: jsonResponse(z.object({ approvals: z.array(ApprovalSchema) }), 'approvals'), 400: errorResponseDoc('limit out of range'), ...authResponses('read') },
  }), async (c) => {
    const status = c.req.query('status') ?? 'pending';
    let q = db
      .selectFrom('approvals')
      .select(['id', 'run_id', 'step_id', 'action_kind', 'recipient', 'proposal', 'reasons', 'status', 'deadline', 'decided_by', 'decided_at', 'edits', 'reason', 'created_at', 'short_code', 'untrusted'])
      .where('tenant_id', '=', c.get('tenantId'))
      .orderBy('created_at', 'desc')
      .limit(limitParam(c.req.query('limit')));
    if (status !== 'all') q = q.where('status', '=', status as 'pending');
    const rows = await q.execute();
    return c.json({ approvals: rows.map((a) => ({ ...a, segments: smsSegmentsOf(a.proposal) })) }, 200);
  });

  const decide = (decision: 'approved' | 'rejected') => async (c: Context<{ Variables: Vars }>, body: z.infer<typeof DecideBodySchema>, id: string) => {
    const { approval, delivery } = await decideApproval(db, {
      tenantId: c.get('tenantId'), approvalId: id, decision,
      edits: body.body !== undefined ? { body: body.body } : null, reason: body.reason ?? null,
      actor: c.get('actor'), principalId: c.get('principal').id, now: s.clock.now(),
    });
    await s.host.deliverDecision(approval.run_id, delivery);
    return { approval: { id: approval.id, status: approval.status, decided_by: approval.decided_by, decided_at: approval.decided_at, edits: approval.edits, reason: approval.reason } };
  };
  for (const [verb, decision] of [['approve', 'approved'], ['reject', 'rejected']] as const) {
    app.openapi(createRoute({
      method: 'post', path: `/approvals/{id}/${verb}`, summary: verb === 'approve' ? 'Approve (optionally edit the text first with {"body"})' : 'Reject (optionally with {"reason"})', ...scoped('decide'),
      request: { params: IdParam, body: jsonBody(DecideBodySchema) },
      responses: {
        200: jsonResponse(DecisionSchema, 'decided'), 400: errorResponseDoc('invalid body'), 404: errorResponseDoc('no such approval in your business'),
        409: errorResponseDoc('already decided or expired (harmless)'), ...authResponses('decide'),
      },
    }), async (c) => c.json(await decide(decision)(c, c.req.valid('json'), c.req.valid('param').id), 200), refuseWith((i) => `invalid body: ${i}`, DECIDE_FIX));
  }
  return app;
}
