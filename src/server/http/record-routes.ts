import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { scoped, authResponses, errorResponseDoc } from './openapi-app.js';
import type { Services, Vars } from './services.js';
import { InputError } from '../../core/errors.js';
import { contactOverview } from '../../records/contact-overview.js';
import { dealPipeline, moveDealStage } from '../../records/deal-stages.js';
import { cancelRun } from '../../autonomy/engine/run-cancel.js';

const Id = z.object({ id: z.string().min(1).max(200).openapi({ param: { name: 'id', in: 'path' } }) });
const err = errorResponseDoc;

const Overview = z.object({
  contact: z.object({ id: z.string(), name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(), source: z.string().nullable(), optedOut: z.boolean(), reviewOptOut: z.boolean(), createdAt: z.string() }),
  conversations: z.array(z.object({ id: z.string(), channel: z.string(), address: z.string(), state: z.string(), lastMessageAt: z.string(), messages: z.number().int() })),
  messages: z.array(z.object({ id: z.string(), conversationId: z.string(), channel: z.string(), direction: z.enum(['inbound', 'outbound']), body: z.string().openapi({ description: 'inbound bodies came from outside the business' }), createdAt: z.string(), runId: z.string().nullable() })),
  deals: z.array(z.object({ id: z.string(), title: z.string(), stage: z.string(), valueCents: z.number().int().nullable(), currency: z.string(), stageChangedAt: z.string(), lastActivityAt: z.string() })),
  bookings: z.array(z.object({ id: z.string(), startsAt: z.string(), endsAt: z.string(), status: z.string(), need: z.string().nullable(), location: z.string().nullable(), runId: z.string().nullable() })),
  invoices: z.array(z.object({ id: z.string(), number: z.string().nullable(), status: z.string(), currency: z.string(), amountCents: z.number().int(), balanceCents: z.number().int(), dueAt: z.string().nullable() })),
}).openapi('ContactOverview');

const PipelineDeal = z.object({ id: z.string(), title: z.string(), stage: z.string(), valueCents: z.number().int().nullable(), currency: z.string(), contactId: z.string(), contactName: z.string().nullable(), source: z.string().nullable(), stageChangedAt: z.string(), lastActivityAt: z.string(), daysInStage: z.number().int() });
const Pipeline = z.object({
  stages: z.array(z.object({ stage: z.string(), closed: z.boolean(), count: z.number().int(), valueCents: z.number().int(), deals: z.array(PipelineDeal) })),
}).openapi('DealPipeline');
const StageBody = z.object({ stage: z.string().min(1).max(80) }).strict();
const StageMove = z.object({ dealId: z.string(), from: z.string(), to: z.string(), moved: z.boolean(), stageChangedAt: z.string() }).openapi('StageMove');
const Cancelled = z.object({ runId: z.string(), was: z.enum(['waiting', 'running']), approvalsExpired: z.number().int(), outboxCancelled: z.number().int() }).openapi('RunCancelled');

/**
 * The dashboard's record views (under `/api/v1`, authenticated, tenant-scoped):
 * `GET /contacts/{id}/overview` (read), `GET /deals/pipeline` (read), `POST /deals/{id}/stage`
 * (decide, audited), `POST /runs/{id}/cancel` (admin, audited). Another business's id is a 404.
 */
export function recordRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = new OpenAPIHono<{ Variables: Vars }>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => `${i.path.join('.') || '(body)'} ${i.message}`).join('; ');
        throw new InputError(`invalid request: ${issues}`, { fix: 'Send a JSON object {"stage": "<a stage of the pipeline>"} (GET /api/v1/deals/pipeline lists them).' });
      }
    },
  });

  app.openapi(createRoute({
    method: 'get', path: '/contacts/{id}/overview', summary: 'A contact with their conversations, latest messages (100), deals, bookings and invoices', ...scoped('read'), request: { params: Id },
    responses: { ...authResponses('read'), 200: { content: { 'application/json': { schema: Overview } }, description: 'the contact' }, 403: err('the token lacks the read scope'), 404: err('no such contact in your business') },
  }), async (c) => c.json(await contactOverview(s.db, c.get('tenantId'), c.req.valid('param').id), 200));

  app.openapi(createRoute({
    method: 'get', path: '/deals/pipeline', summary: 'Deals by stage in pipeline order: count, value (cents) and days in stage per deal', ...scoped('read'),
    responses: { ...authResponses('read'), 200: { content: { 'application/json': { schema: Pipeline } }, description: 'the pipeline' }, 403: err('the token lacks the read scope') },
  }), async (c) => c.json({ stages: await dealPipeline(s.db, c.get('tenantId'), s.clock.now()) }, 200));

  app.openapi(createRoute({
    method: 'post', path: '/deals/{id}/stage', summary: 'Move a deal to another stage of the pipeline (audited)', ...scoped('decide'),
    request: { params: Id, body: { content: { 'application/json': { schema: StageBody } }, required: true } },
    responses: { ...authResponses('decide'), 200: { content: { 'application/json': { schema: StageMove } }, description: 'moved (or already there)' }, 400: err('not a stage of the pipeline: the fix lists the valid ones'), 403: err('the token lacks the decide scope'), 404: err('no such deal in your business'), 409: err('the deal changed meanwhile') },
  }), async (c) => c.json(await moveDealStage(s.db, { tenantId: c.get('tenantId'), dealId: c.req.valid('param').id, stage: c.req.valid('json').stage, actor: c.get('actor'), now: s.clock.now() }), 200));

  app.openapi(createRoute({
    method: 'post', path: '/runs/{id}/cancel', summary: 'Cancel a waiting or running run: it never resumes; its pending approvals expire and queued messages are cancelled (audited)', ...scoped('admin'), request: { params: Id },
    responses: { ...authResponses('admin'), 200: { content: { 'application/json': { schema: Cancelled } }, description: 'cancelled' }, 403: err('the token lacks the admin scope'), 404: err('no such run in your business'), 409: err('the run has finished') },
  }), async (c) => c.json(await cancelRun(s.db, c.get('tenantId'), c.req.valid('param').id, c.get('actor')), 200));

  return app;
}
