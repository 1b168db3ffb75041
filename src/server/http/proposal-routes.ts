import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonBody, jsonResponse, openApiApp, refuseBody, scoped } from './openapi-app.js';
import { NotFoundError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { audit } from '../../records/audit.js';
import { PROPOSAL_REQUESTED, type ProposalRequestedData } from '../../awareness/back-office-signals.js';
import '../../autonomy/proposals/tables.js';
import type { PlannedRun } from '../../autonomy/engine/playbook-host.js';
import { IdParam, RunReceipt } from './schemas/common.js';
import { ProposalRequestSchema, ProposalSchema } from './schemas/proposal.js';

/**
 * Proposals over HTTP. `POST /deals/:id/proposal` (`propose`) raises `proposal_requested` and
 * starts the `proposal` run (202 with the run id; idempotent on `idempotencyKey`); the body may
 * carry the owner's `notes` (what to quote). `GET /proposals[?deal=]` (`read`) lists proposals
 * without their PDF; `GET /proposals/:id/pdf` (`read`) returns the PDF.
 */
export function proposalRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, 'Send the JSON body the OpenAPI document at /openapi.json describes.');
  const { db } = s;

  app.openapi(createRoute({
    method: 'post', path: '/deals/{id}/proposal', summary: 'Draft a proposal (quote) for a deal from the price list; it waits for your approval before it is sent', ...scoped('propose'),
    request: { params: IdParam, body: jsonBody(ProposalRequestSchema) },
    responses: { 202: jsonResponse(RunReceipt, 'the proposal run'), 400: errorResponseDoc('invalid body'), 404: errorResponseDoc('no such deal in your business'), ...authResponses('propose') },
  }), async (c) => {
    const tenantId = c.get('tenantId');
    const dealId = c.req.valid('param').id;
    const body = { data: c.req.valid('json') };
    const deal = await db.selectFrom('deals').select('id').where('tenant_id', '=', tenantId).where('id', '=', dealId).executeTakeFirst();
    if (!deal) throw new NotFoundError('deal', dealId);
    const data: ProposalRequestedData = { dealId, requestedBy: c.get('actor'), ...(body.data.notes?.trim() ? { notes: body.data.notes.trim() } : {}) };
    const dedup = `${PROPOSAL_REQUESTED}:${dealId}:${body.data.idempotencyKey ?? newId('req')}`;
    const res = await db.transaction().execute(async (tx) => {
      const signal = await tx.insertInto('signals').values({ id: newId('sig'), tenant_id: tenantId, kind: PROPOSAL_REQUESTED, subject: dealId, dedup_key: dedup, data: JSON.stringify(data) })
        .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing()).returningAll().executeTakeFirst();
      if (!signal) {
        const existing = await tx.selectFrom('signals').select(['id', 'run_id']).where('tenant_id', '=', tenantId).where('dedup_key', '=', dedup).executeTakeFirstOrThrow();
        return { signalId: existing.id, runId: existing.run_id, duplicate: true, plans: [] as PlannedRun[] };
      }
      const plans = await s.host.planRuns(tx, signal);
      return { signalId: signal.id, runId: plans[0]?.runId ?? null, duplicate: false, plans };
    });
    await s.host.startPlanned(res.plans);
    await audit(db, tenantId, c.get('actor'), 'proposal.requested', dealId, { runId: res.runId });
    return c.json({ signalId: res.signalId, runId: res.runId, duplicate: res.duplicate, note: 'the proposal is drafted and waits for your approval before it is sent' }, 202);
  }, refuseBody('{"notes"?: "what to quote", "idempotencyKey"?: "…"}'));

  app.openapi(createRoute({
    method: 'get', path: '/proposals', summary: 'Proposals (at most 100, newest first), without their PDF', ...scoped('read'),
    request: { query: z.object({ deal: z.string().optional().openapi({ description: 'only this deal\'s' }) }) },
    responses: { 200: jsonResponse(z.object({ proposals: z.array(ProposalSchema) }), 'proposals'), ...authResponses('read') },
  }), async (c) => {
    let q = db.selectFrom('proposals').select(['id', 'deal_id', 'run_id', 'version', 'status', 'total_cents', 'currency', 'line_items', 'unpriced', 'recipient', 'approved_by', 'approved_at', 'sent_at', 'error', 'created_at', 'markdown'])
      .where('tenant_id', '=', c.get('tenantId'));
    const deal = c.req.query('deal');
    if (deal) q = q.where('deal_id', '=', deal);
    const rows = await q.orderBy('created_at', 'desc').limit(100).execute();
    return c.json({ proposals: rows.map((r) => ({ ...r, total_cents: Number(r.total_cents) })) }, 200);
  });

  app.openapi(createRoute({
    method: 'get', path: '/proposals/{id}/pdf', summary: 'The proposal as PDF', ...scoped('read'),
    request: { params: IdParam },
    responses: { 200: { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'the PDF' }, 404: errorResponseDoc('no such proposal in your business'), ...authResponses('read') },
  }), async (c) => {
    const id = c.req.valid('param').id;
    const row = await db.selectFrom('proposals').select(['pdf', 'version']).where('tenant_id', '=', c.get('tenantId')).where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError('proposal', id);
    return c.body(new Uint8Array(row.pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="proposal-${row.version}.pdf"` });
  });
  return app;
}
