import { Hono } from 'hono';
import { z } from 'zod';
import type { Services, Vars } from './services.js';
import { requireScope } from './require-scope.js';
import { readJson } from './json-body.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import { audit } from '../../records/audit.js';
import { replyToConversation } from '../conversation-reply.js';

const ReplyBody = z.object({ body: z.string(), idempotencyKey: z.string().min(1).max(200).optional() }).strict();
const ContactPatch = z.object({ reviewOptOut: z.boolean() }).strict();

/**
 * Conversations and the owner's part in them (mounted under `/api/v1`):
 * - `GET /conversations?state=waiting_for_owner` (read): conversations, newest first, with state and waiting time;
 * - `POST /conversations/:id/reply {body, idempotencyKey?}` (decide: the owner speaks for the business):
 *   202, the `owner-reply` run sends it on the customer's channel through the policy gate;
 * - `PATCH /contacts/:id {reviewOptOut}` (decide): put a customer on (or off) the do-not-ask-for-a-review list.
 */
export function conversationRoutes(s: Services): Hono<{ Variables: Vars }> {
  const app = new Hono<{ Variables: Vars }>();

  app.get('/conversations', requireScope('read'), async (c) => {
    const state = c.req.query('state');
    if (state !== undefined && state !== 'open' && state !== 'waiting_for_owner') throw new InputError(`state must be open or waiting_for_owner, not "${state}"`, { fix: 'Use ?state=waiting_for_owner, ?state=open, or leave it out.' });
    let q = s.db.selectFrom('conversations').select(['id', 'contact_id', 'channel', 'address', 'state', 'waiting_since', 'handoff_code', 'last_message_at', 'created_at'])
      .where('tenant_id', '=', c.get('tenantId')).orderBy('last_message_at', 'desc').limit(200);
    if (state) q = q.where('state', '=', state);
    return c.json({ conversations: await q.execute() });
  });

  app.post('/conversations/:id/reply', requireScope('decide'), async (c) => {
    const parsed = ReplyBody.safeParse(await readJson(c.req));
    if (!parsed.success) throw new InputError('body must be {"body": "your answer", "idempotencyKey"?: "…"}', { fix: 'Send a JSON object with "body": the text the customer should get.' });
    const receipt = await replyToConversation(s.db, s.host, {
      tenantId: c.get('tenantId'), conversationId: c.req.param('id'), body: parsed.data.body, actor: c.get('actor'), principalId: c.get('principal').id, idempotencyKey: parsed.data.idempotencyKey,
    });
    return c.json({ ...receipt, note: 'the reply goes through the policy gate on the customer\'s channel; follow the run' }, 202);
  });

  app.patch('/contacts/:id', requireScope('decide'), async (c) => {
    const parsed = ContactPatch.safeParse(await readJson(c.req));
    if (!parsed.success) throw new InputError('body must be {"reviewOptOut": true|false}', { fix: 'Send {"reviewOptOut": true} to never ask this customer for a review, false to allow it again.' });
    const t = c.get('tenantId');
    const row = await s.db.updateTable('contacts').set({ review_opt_out: parsed.data.reviewOptOut, updated_at: s.clock.now() })
      .where('tenant_id', '=', t).where('id', '=', c.req.param('id')).returning(['id', 'review_opt_out']).executeTakeFirst();
    if (!row) throw new NotFoundError('contact', c.req.param('id'));
    await audit(s.db, t, c.get('actor'), 'contact.review_opt_out', row.id, { reviewOptOut: row.review_opt_out });
    return c.json({ contact: { id: row.id, reviewOptOut: row.review_opt_out } });
  });

  return app;
}
