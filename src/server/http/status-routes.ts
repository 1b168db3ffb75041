import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonResponse, openApiApp, scoped } from './openapi-app.js';
import { speedToLead } from '../../leverage/speed-to-lead.js';
import { limitParam } from './limit-param.js';
import { LimitQuery } from './schemas/common.js';
import { LedgerEntrySchema, LedgerTotalsSchema, StatusSchema } from './schemas/ledger.js';

/**
 * `GET /status` (read): the business, counts of signals, pending approvals and runs, the ledger's
 * totals and speed to lead; `GET /ledger?limit=` (read): the totals and the newest entries.
 */
export function statusRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, 'Use ?limit=50 (any whole number from 1 to 500), or leave it out.');
  const { db } = s;

  async function ledgerTotals(t: string): Promise<z.infer<typeof LedgerTotalsSchema>> {
    const sms = await db
      .selectFrom('outbox')
      .select([sql<number>`count(*)::int`.as('n'), sql<number>`coalesce(sum(segments),0)::int`.as('segments')])
      .where('tenant_id', '=', t).where('channel', '=', 'sms').where('status', '=', 'sent')
      .executeTakeFirstOrThrow();
    const r = await db
      .selectFrom('ledger')
      .select([
        sql<number>`count(*)::int`.as('entries'),
        sql<number>`coalesce(sum(minutes_saved),0)::float`.as('minutesSaved'),
        sql<number>`coalesce(sum(value_cents),0)::bigint`.as('valueCents'),
        sql<number>`coalesce(sum(ai_cost_micros),0)::bigint`.as('aiCostMicros'),
        sql<number | null>`percentile_cont(0.5) within group (order by response_ms)`.as('medianResponseMs'),
      ])
      .where('tenant_id', '=', t)
      .executeTakeFirstOrThrow();
    return {
      ...r, valueCents: Number(r.valueCents), aiCostMicros: Number(r.aiCostMicros), medianResponseMs: r.medianResponseMs === null ? null : Number(r.medianResponseMs),
      // Every text sent (to customers and the owner's notices), its billed segments, and their estimated price.
      smsSent: sms.n, smsSegments: sms.segments, smsCostMicros: sms.segments * s.config.smsSegmentPriceMicros,
    };
  }

  app.openapi(createRoute({
    method: 'get', path: '/status', summary: 'Counts of signals, pending approvals, runs, and the ledger totals', ...scoped('read'),
    responses: { 200: jsonResponse(StatusSchema, 'the business at a glance'), ...authResponses('read') },
  }), async (c) => {
    const t = c.get('tenantId');
    const tenant = s.tenants.get(t);
    const [signals, approvals, runs, ledger, leadSpeed] = await Promise.all([
      db.selectFrom('signals').select(['status', sql<number>`count(*)::int`.as('n')]).where('tenant_id', '=', t).groupBy('status').execute(),
      db.selectFrom('approvals').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', t).where('status', '=', 'pending').executeTakeFirstOrThrow(),
      db.selectFrom('runs').select(['status', sql<number>`count(*)::int`.as('n')]).where('tenant_id', '=', t).groupBy('status').execute(),
      ledgerTotals(t),
      speedToLead(db, t),
    ]);
    return c.json({
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, timeZone: tenant.timeZone, phone: tenant.phone },
      sms: s.config.twilio.accountSid && s.config.twilio.authToken ? 'twilio' as const : 'sandbox' as const,
      signals: Object.fromEntries(signals.map((r) => [r.status, r.n])),
      pendingApprovals: approvals.n,
      runs: Object.fromEntries(runs.map((r) => [r.status, r.n])),
      ledger,
      speedToLead: leadSpeed,
    }, 200);
  });

  app.openapi(createRoute({
    method: 'get', path: '/ledger', summary: 'Ledger totals (minutes saved, value, AI cost, median response, texts sent) and the newest entries', ...scoped('read'),
    request: { query: z.object({ limit: LimitQuery }) },
    responses: { 200: jsonResponse(z.object({ totals: LedgerTotalsSchema, entries: z.array(LedgerEntrySchema) }), 'totals and entries, newest first'), 400: errorResponseDoc('limit out of range'), ...authResponses('read') },
  }), async (c) => {
    const t = c.get('tenantId');
    const entries = await db.selectFrom('ledger').selectAll().where('tenant_id', '=', t).orderBy('created_at', 'desc').limit(limitParam(c.req.query('limit'))).execute();
    return c.json({ totals: await ledgerTotals(t), entries }, 200);
  });
  return app;
}
