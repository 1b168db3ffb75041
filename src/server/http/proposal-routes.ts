import { Hono } from 'hono';
import { z } from 'zod';
import type { Services, Vars } from './services.js';
import { requireScope } from './require-scope.js';
import { readBody } from './json-body.js';
import { NotFoundError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { audit } from '../../records/audit.js';
import { PROPOSAL_REQUESTED, type ProposalRequestedData } from '../../awareness/back-office-signals.js';
import '../../autonomy/proposals/tables.js';
import type { PlannedRun } from '../../autonomy/engine/playbook-host.js';

const RequestBody = z.object({ notes: z.string().max(4000).optional(), idempotencyKey: z.string().max(200).optional() }).strict();

/**
 * Proposals over HTTP. `POST /deals/:id/proposal` (`propose`) raises `proposal_requested` and
 * starts the `proposal` run (202 with the run id; idempotent on `idempotencyKey`); the body may
 * carry the owner's `notes` (what to quote). `GET /proposals[?deal=]` (`read`) lists proposals
 * without their PDF; `GET /proposals/:id/pdf` (`read`) returns the PDF.
 */
export function proposalRoutes(s: Services): Hono<{ Variables: Vars }> {
  const app = new Hono<{ Variables: Vars }>();
  const { db } = s;

  app.post('/deals/:id/proposal', requireScope('propose'), async (c) => {
    const tenantId = c.get('tenantId');
    const dealId = c.req.param('id');
    const body = { data: await readBody(c.req, RequestBody, '{"notes"?: "what to quote", "idempotencyKey"?: "…"}') };
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
  });

  app.get('/proposals', requireScope('read'), async (c) => {
    let q = db.selectFrom('proposals').select(['id', 'deal_id', 'run_id', 'version', 'status', 'total_cents', 'currency', 'line_items', 'unpriced', 'recipient', 'approved_by', 'approved_at', 'sent_at', 'error', 'created_at', 'markdown'])
      .where('tenant_id', '=', c.get('tenantId'));
    const deal = c.req.query('deal');
    if (deal) q = q.where('deal_id', '=', deal);
    const rows = await q.orderBy('created_at', 'desc').limit(100).execute();
    return c.json({ proposals: rows.map((r) => ({ ...r, total_cents: Number(r.total_cents) })) });
  });

  app.get('/proposals/:id/pdf', requireScope('read'), async (c) => {
    const row = await db.selectFrom('proposals').select(['pdf', 'version']).where('tenant_id', '=', c.get('tenantId')).where('id', '=', c.req.param('id')).executeTakeFirst();
    if (!row) throw new NotFoundError('proposal', c.req.param('id'));
    return c.body(new Uint8Array(row.pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="proposal-${row.version}.pdf"` });
  });
  return app;
}
