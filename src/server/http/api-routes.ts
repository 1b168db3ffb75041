import { Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Services, Vars } from './services.js';
import { bearerAuth } from './auth.js';
import { requireScope } from './require-scope.js';
import { accessRoutes } from './access-routes.js';
import { errorResponse } from './errors.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import type { OutboxRow } from '../../store/schema.js';
import { decideApproval } from '../../autonomy/approvals/approvals.js';
import { runSteps } from '../../autonomy/engine/run-view.js';
import { proposeSmsAction, proposeToolCallAction } from '../propose-action.js';
import { connectionRoutes } from './connection-routes.js';
import { readJson } from './json-body.js';
import { knowledgeRoutes } from './knowledge-routes.js';
import { conversationRoutes } from './conversation-routes.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { speedToLead } from '../../leverage/speed-to-lead.js';
import { bookingRoutes } from './booking-routes.js';
import { proposalRoutes } from './proposal-routes.js';
import { invoiceRoutes } from './invoice-routes.js';
import { signalRoutes } from './signal-routes.js';
import { emailRoutes } from './email-routes.js';
import { playbookRoutes } from './playbook-routes.js';
import { recordRoutes } from './record-routes.js';
import { zodSubApps } from './zod-route-paths.js';
import { auditRoutes } from './audit-routes.js';
import { onboardingRoutes } from './onboarding-routes.js';
import { countSegments, type SegmentCount } from '../../core/sms-segments.js';

/** The segment count of an approval's proposed SMS text, or null for other actions. */
function smsSegmentsOf(proposal: unknown): SegmentCount | null {
  const p = proposal as { kind?: string; body?: unknown } | null;
  return p?.kind === 'sms.send' && typeof p.body === 'string' ? countSegments(p.body) : null;
}

const DecideBody = z.object({ body: z.string().optional(), reason: z.string().optional() }).strict();

/**
 * Notices to the owner can carry a decision link: below `admin`, their text (in the payload and in
 * the provider's echo of it) is not shown.
 */
function redactOwnerNotice(row: OutboxRow): OutboxRow {
  if (row.kind !== 'owner.notify') return row;
  const hidden = '(redacted: owner notice)';
  const echo = row.provider_response && typeof row.provider_response === 'object' ? { ...(row.provider_response as Record<string, unknown>), body: hidden } : row.provider_response;
  return { ...row, payload: { ...row.payload, body: hidden }, provider_response: echo };
}


/** How a proposer is named to the owner (notices, run summaries, ledger): `assistant "claude"`, `staff "Sam"`. */
function proposerLabel(p: { kind: string; role: string | null; name: string }): string {
  return `${p.kind === 'user' ? (p.role ?? 'user') : p.kind} "${p.name}"`;
}
function limitParam(raw: string | undefined): number {
  const n = raw === undefined ? 50 : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new InputError('limit must be an integer 1..500', { fix: 'Use ?limit=50 (any whole number from 1 to 500), or leave it out.' });
  return n;
}

/** The JSON API under `/api/v1`, bearer-authenticated; every query is scoped to the token's tenant. */
export function apiRoutes(s: Services): Hono<{ Variables: Vars }> {
  const app = new Hono<{ Variables: Vars }>();
  const { db } = s;
  app.use('*', bearerAuth(db, s.clock));
  app.onError((err, c) => errorResponse(c, err, s.log));
  app.route('/knowledge', knowledgeRoutes(s));
  app.route('/bookings', bookingRoutes(s));
  app.route('/', proposalRoutes(s));
  app.route('/invoices', invoiceRoutes(s));
  app.route('/signals', signalRoutes(s));
  app.route('/emails', emailRoutes(s));
  app.route('/', accessRoutes(s));
  app.route('/', playbookRoutes(s));
  app.route('/', dashboardRoutes(s));
  app.route('/', recordRoutes(s));
  app.route('/', auditRoutes(s));
  app.route('/', onboardingRoutes(s));
  app.route('/', conversationRoutes(s));
  for (const sub of zodSubApps(s)) app.route('/', sub);
  app.route('/', connectionRoutes({ db, log: s.log, connect: { connectors: s.connectors.list, box: s.secretBox, onCreated: (id) => s.connectors.pollNow(id), now: () => s.clock.now() } }));

  app.get('/status', requireScope('read'), async (c) => {
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
      sms: s.config.twilio.accountSid && s.config.twilio.authToken ? 'twilio' : 'sandbox',
      signals: Object.fromEntries(signals.map((r) => [r.status, r.n])),
      pendingApprovals: approvals.n,
      runs: Object.fromEntries(runs.map((r) => [r.status, r.n])),
      ledger,
      speedToLead: leadSpeed,
    });
  });

  async function ledgerTotals(t: string) {
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

  app.get('/runs', requireScope('read'), async (c) => {
    const rows = await db.selectFrom('runs').selectAll().where('tenant_id', '=', c.get('tenantId')).orderBy('started_at', 'desc').limit(limitParam(c.req.query('limit'))).execute();
    return c.json({ runs: rows });
  });

  app.get('/runs/:id', requireScope('read'), async (c) => {
    const t = c.get('tenantId');
    const run = await db.selectFrom('runs').selectAll().where('tenant_id', '=', t).where('id', '=', c.req.param('id')).executeTakeFirst();
    if (!run) throw new NotFoundError('run', c.req.param('id'));
    const steps = await runSteps(run.id, { status: run.status, waitingFor: run.waiting_for, timeZone: s.tenants.get(t).timeZone, now: s.clock.now() });
    return c.json({ run, steps });
  });

  app.get('/approvals', requireScope('read'), async (c) => {
    const status = c.req.query('status') ?? 'pending';
    let q = db
      .selectFrom('approvals')
      .select(['id', 'run_id', 'step_id', 'action_kind', 'recipient', 'proposal', 'reasons', 'status', 'deadline', 'decided_by', 'decided_at', 'edits', 'reason', 'created_at', 'short_code', 'untrusted'])
      .where('tenant_id', '=', c.get('tenantId'))
      .orderBy('created_at', 'desc')
      .limit(limitParam(c.req.query('limit')));
    if (status !== 'all') q = q.where('status', '=', status as 'pending');
    // `untrusted`: [{label, text}], the parts that came from outside the business (not written by the owner or AIOS).
    // What each proposed text would be billed as: "segments": {encoding, segments, units, unitsPerSegment, ucs2Chars}.
    const rows = await q.execute();
    return c.json({ approvals: rows.map((a) => ({ ...a, segments: smsSegmentsOf(a.proposal) })) });
  });

  const decide = (decision: 'approved' | 'rejected') => async (c: import('hono').Context<{ Variables: Vars }>) => {
    const parsed = DecideBody.safeParse(await readJson(c.req));
    if (!parsed.success) throw new InputError(`invalid body: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`, { fix: 'Send {"body": "edited text"} to edit-then-approve, or {"reason": "..."} to reject.' });
    const { approval, delivery } = await decideApproval(db, {
      tenantId: c.get('tenantId'), approvalId: c.req.param('id'), decision,
      edits: parsed.data.body !== undefined ? { body: parsed.data.body } : null, reason: parsed.data.reason ?? null,
      actor: c.get('actor'), principalId: c.get('principal').id, now: s.clock.now(),
    });
    await s.host.deliverDecision(approval.run_id, delivery);
    return c.json({ approval: { id: approval.id, status: approval.status, decided_by: approval.decided_by, decided_at: approval.decided_at, edits: approval.edits, reason: approval.reason } });
  };
  app.post('/approvals/:id/approve', requireScope('decide'), decide('approved'));
  app.post('/approvals/:id/reject', requireScope('decide'), decide('rejected'));

  app.get('/outbox', requireScope('read'), async (c) => {
    const rows = await db.selectFrom('outbox').selectAll().where('tenant_id', '=', c.get('tenantId')).orderBy('created_at', 'desc').limit(limitParam(c.req.query('limit'))).execute();
    return c.json({ outbox: c.get('principal').scopes.includes('admin') ? rows : rows.map(redactOwnerNotice) });
  });

  app.get('/ledger', requireScope('read'), async (c) => {
    const t = c.get('tenantId');
    const entries = await db.selectFrom('ledger').selectAll().where('tenant_id', '=', t).orderBy('created_at', 'desc').limit(limitParam(c.req.query('limit'))).execute();
    return c.json({ totals: await ledgerTotals(t), entries });
  });

  app.get('/contacts', requireScope('read'), async (c) => {
    let q = db.selectFrom('contacts').selectAll().where('tenant_id', '=', c.get('tenantId')).orderBy('created_at', 'desc').limit(limitParam(c.req.query('limit')));
    const text = c.req.query('q')?.trim();
    if (text) {
      const like = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('phone', 'like', like), eb('email', 'ilike', like)]));
    }
    return c.json({ contacts: await q.execute() });
  });

  app.post('/actions/sms', requireScope('propose'), async (c) => {
    const body = z.object({ to: z.string(), body: z.string(), idempotencyKey: z.string().max(200).optional() }).strict().safeParse(await readJson(c.req));
    if (!body.success) throw new InputError('body must be {"to": "+1…", "body": "text", "idempotencyKey"?: "…"}', { fix: 'Send a JSON object with "to" (a phone number) and "body" (the text), nothing else.' });
    const res = await proposeSmsAction(db, s.host, { tenantId: c.get('tenantId'), to: body.data.to, body: body.data.body, proposedBy: proposerLabel(c.get('principal')), proposerPrincipalId: c.get('principal').id, idempotencyKey: body.data.idempotencyKey });
    return c.json({ ...res, note: 'proposed: the policy decides whether it is sent, waits for approval, or is refused; follow the run' }, 202);
  });

  app.post('/actions/tool', requireScope('propose'), async (c) => {
    const body = z
      .object({ connectionId: z.string(), tool: z.string(), arguments: z.record(z.string(), z.unknown()).default({}), summary: z.string().max(300).optional(), idempotencyKey: z.string().max(200).optional() })
      .strict()
      .safeParse(await readJson(c.req));
    if (!body.success) throw new InputError('body must be {"connectionId", "tool", "arguments"?, "summary"?, "idempotencyKey"?}', { fix: 'Send "connectionId" and "tool" (see GET /api/v1/connections), with "arguments" as an object.' });
    const res = await proposeToolCallAction(db, s.host, { tenantId: c.get('tenantId'), ...body.data, proposedBy: proposerLabel(c.get('principal')), proposerPrincipalId: c.get('principal').id });
    return c.json({ ...res, note: 'proposed: the declared effect and the policy decide; follow the run' }, 202);
  });

  app.get('/deals', requireScope('read'), async (c) => {
    const rows = await db.selectFrom('deals').selectAll().where('tenant_id', '=', c.get('tenantId')).orderBy('created_at', 'desc').limit(limitParam(c.req.query('limit'))).execute();
    return c.json({ deals: rows });
  });

  app.get('/contacts/:id/messages', requireScope('read'), async (c) => {
    const t = c.get('tenantId');
    const contact = await db.selectFrom('contacts').select('id').where('tenant_id', '=', t).where('id', '=', c.req.param('id')).executeTakeFirst();
    if (!contact) throw new NotFoundError('contact', c.req.param('id'));
    const rows = await db
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select(['messages.id', 'conversations.channel', 'messages.direction', 'messages.body', 'messages.created_at', 'messages.run_id'])
      .where('messages.tenant_id', '=', t)
      .where('conversations.contact_id', '=', contact.id)
      .orderBy('messages.created_at')
      .execute();
    return c.json({ messages: rows });
  });

  return app;
}
