import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonBody, jsonResponse, openApiApp, refuseWith, scoped } from './openapi-app.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import { audit } from '../../records/audit.js';
import { replyToConversation } from '../conversation-reply.js';
import { IdParam } from './schemas/common.js';
import { ConversationSchema, ReplyBodySchema, ReplyReceiptSchema } from './schemas/conversation.js';
import { ContactPatchSchema } from './schemas/contact.js';

/**
 * Conversations and the owner's part in them (mounted under `/api/v1`):
 * - `GET /conversations?state=waiting_for_owner` (read): conversations, newest first, with state and waiting time;
 * - `POST /conversations/:id/reply {body, idempotencyKey?}` (decide: the owner speaks for the business):
 *   202, the `owner-reply` run sends it on the customer's channel through the policy gate;
 * - `PATCH /contacts/:id {reviewOptOut}` (decide): put a customer on (or off) the do-not-ask-for-a-review list.
 */
export function conversationRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, 'Send the JSON body the OpenAPI document at /openapi.json describes.');

  app.openapi(createRoute({
    method: 'get', path: '/conversations', summary: 'Conversations (at most 200), most recent message first', ...scoped('read'),
    request: { query: z.object({ state: z.string().optional().openapi({ description: 'open or waiting_for_owner' }) }) },
    responses: { 200: jsonResponse(z.object({ conversations: z.array(ConversationSchema) }), 'conversations'), 400: errorResponseDoc('unknown state'), ...authResponses('read') },
  }), async (c) => {
    const state = c.req.query('state');
    if (state !== undefined && state !== 'open' && state !== 'waiting_for_owner') throw new InputError(`state must be open or waiting_for_owner, not "${state}"`, { fix: 'Use ?state=waiting_for_owner, ?state=open, or leave it out.' });
    let q = s.db.selectFrom('conversations').select(['id', 'contact_id', 'channel', 'address', 'state', 'waiting_since', 'handoff_code', 'last_message_at', 'created_at'])
      .where('tenant_id', '=', c.get('tenantId')).orderBy('last_message_at', 'desc').limit(200);
    if (state) q = q.where('state', '=', state);
    return c.json({ conversations: await q.execute() }, 200);
  });

  app.openapi(createRoute({
    method: 'post', path: '/conversations/{id}/reply', summary: 'Answer the customer yourself: sent on their channel through the policy gate', ...scoped('decide'),
    request: { params: IdParam, body: jsonBody(ReplyBodySchema) },
    responses: { 202: jsonResponse(ReplyReceiptSchema, 'the reply\'s run'), 400: errorResponseDoc('invalid body'), 404: errorResponseDoc('no such conversation in your business'), ...authResponses('decide') },
  }), async (c) => {
    const b = c.req.valid('json');
    const receipt = await replyToConversation(s.db, s.host, {
      tenantId: c.get('tenantId'), conversationId: c.req.valid('param').id, body: b.body, actor: c.get('actor'), principalId: c.get('principal').id, idempotencyKey: b.idempotencyKey,
    });
    return c.json({ ...receipt, note: 'the reply goes through the policy gate on the customer\'s channel; follow the run' }, 202);
  }, refuseWith(() => 'body must be {"body": "your answer", "idempotencyKey"?: "…"}', 'Send a JSON object with "body": the text the customer should get.'));

  app.openapi(createRoute({
    method: 'patch', path: '/contacts/{id}', summary: 'Put a customer on (or off) the do-not-ask-for-a-review list', ...scoped('decide'),
    request: { params: IdParam, body: jsonBody(ContactPatchSchema) },
    responses: {
      200: jsonResponse(z.object({ contact: z.object({ id: z.string(), reviewOptOut: z.boolean() }) }), 'changed'), 400: errorResponseDoc('invalid body'),
      404: errorResponseDoc('no such contact in your business'), ...authResponses('decide'),
    },
  }), async (c) => {
    const t = c.get('tenantId');
    const id = c.req.valid('param').id;
    const row = await s.db.updateTable('contacts').set({ review_opt_out: c.req.valid('json').reviewOptOut, updated_at: s.clock.now() })
      .where('tenant_id', '=', t).where('id', '=', id).returning(['id', 'review_opt_out']).executeTakeFirst();
    if (!row) throw new NotFoundError('contact', id);
    await audit(s.db, t, c.get('actor'), 'contact.review_opt_out', row.id, { reviewOptOut: row.review_opt_out });
    return c.json({ contact: { id: row.id, reviewOptOut: row.review_opt_out } }, 200);
  }, refuseWith(() => 'body must be {"reviewOptOut": true|false}', 'Send {"reviewOptOut": true} to never ask this customer for a review, false to allow it again.'));

  return app;
}
