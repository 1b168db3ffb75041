import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { Services } from './services.js';
import { authResponses, errorResponseDoc, openApiApp, scoped } from './openapi-app.js';
import { NotFoundError } from '../../core/errors.js';

/** Most conversations the inbox lists. */
export const THREADS_MAX = 200;
/** Most messages one thread returns (the newest). */
export const THREAD_MESSAGES_MAX = 200;

const Thread = z.object({
  id: z.string(), channel: z.string().describe('sms | email | webchat | voice …'), address: z.string(), state: z.enum(['open', 'waiting_for_owner']),
  waitingSince: z.string().nullable(), lastMessageAt: z.string(),
  contact: z.object({ id: z.string(), name: z.string().nullable() }),
  last: z.object({ direction: z.enum(['inbound', 'outbound']), body: z.string(), untrusted: z.boolean() }).nullable(),
  canReply: z.boolean().describe('AIOS can send the reply on this channel (SMS for now)'),
});
const ThreadList = z.object({ conversations: z.array(Thread) });
const Message = z.object({ id: z.string(), direction: z.enum(['inbound', 'outbound']), body: z.string(), at: z.string(), untrusted: z.boolean() });
const ThreadDetail = z.object({ conversation: Thread, messages: z.array(Message) });

const listRoute = createRoute({
  method: 'get', path: '/conversations/inbox', summary: 'Every channel in one inbox: threads waiting for you first, then newest; with contact and last message',
  ...scoped('read'),
  responses: { 200: { content: { 'application/json': { schema: ThreadList } }, description: 'threads' }, ...authResponses('read') },
});
const threadRoute = createRoute({
  method: 'get', path: '/conversations/{id}/messages', summary: 'One thread: its messages, oldest first (customer messages marked untrusted)',
  ...scoped('read'),
  request: { params: z.object({ id: z.string().min(1).max(100) }) },
  responses: { 200: { content: { 'application/json': { schema: ThreadDetail } }, description: 'the thread' }, 404: errorResponseDoc('no such conversation in your business'), ...authResponses('read') },
});

type Row = { id: string; channel: string; address: string; state: 'open' | 'waiting_for_owner'; waiting_since: Date | null; last_message_at: Date; contact_id: string; name: string | null; direction: 'inbound' | 'outbound' | null; body: string | null };
const threadOf = (r: Row) => ({
  id: r.id, channel: r.channel, address: r.address, state: r.state, waitingSince: r.waiting_since ? new Date(r.waiting_since).toISOString() : null,
  lastMessageAt: new Date(r.last_message_at).toISOString(), contact: { id: r.contact_id, name: r.name },
  last: r.direction && r.body !== null ? { direction: r.direction, body: r.body, untrusted: r.direction === 'inbound' } : null,
  canReply: r.channel === 'sms',
});

/** `GET /conversations/inbox` and `GET /conversations/:id/messages` (read, under `/api/v1`), tenant-scoped. */
export function conversationInboxRoutes(s: Services) {
  const app = openApiApp(s, 'Use GET /api/v1/conversations/inbox, then a conversation id from it.');
  const base = (t: string) => sql<Row>`
    select cv.id, cv.channel, cv.address, cv.state, cv.waiting_since, cv.last_message_at, cv.contact_id, ct.name, lm.direction, left(lm.body, 300) as body
      from conversations cv
      left join contacts ct on ct.id = cv.contact_id and ct.tenant_id = ${t}
      left join lateral (select m.direction, m.body from messages m where m.tenant_id = ${t} and m.conversation_id = cv.id order by m.created_at desc limit 1) lm on true
     where cv.tenant_id = ${t}`;
  app.openapi(listRoute, async (c) => {
    const t = c.get('tenantId');
    const rows = await sql<Row>`${base(t)} order by (cv.state = 'waiting_for_owner') desc, cv.last_message_at desc limit ${THREADS_MAX}`.execute(s.db);
    return c.json({ conversations: rows.rows.map(threadOf) }, 200);
  });
  app.openapi(threadRoute, async (c) => {
    const t = c.get('tenantId');
    const id = c.req.valid('param').id;
    const row = (await sql<Row>`${base(t)} and cv.id = ${id}`.execute(s.db)).rows[0];
    if (!row) throw new NotFoundError('conversation', id);
    const msgs = await s.db.selectFrom('messages').select(['id', 'direction', 'body', 'created_at']).where('tenant_id', '=', t).where('conversation_id', '=', id)
      .orderBy('created_at', 'desc').limit(THREAD_MESSAGES_MAX).execute();
    return c.json({
      conversation: threadOf(row),
      messages: msgs.reverse().map((m) => ({ id: m.id, direction: m.direction, body: m.body, at: m.created_at.toISOString(), untrusted: m.direction === 'inbound' })),
    }, 200);
  });
  return app;
}
