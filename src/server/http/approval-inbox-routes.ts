import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { Services } from './services.js';
import { authResponses, errorResponseDoc, openApiApp, scoped } from './openapi-app.js';
import { PROPOSED_BY_PRINCIPAL } from '../../autonomy/approvals/separation-of-duties.js';
import { countSegments } from '../../core/sms-segments.js';

/** Messages of the approval's conversation shown with it (newest last). */
export const INBOX_MESSAGES = 6;
/** Most approvals the inbox lists at once. */
export const INBOX_MAX = 100;

const Message = z.object({
  id: z.string(), direction: z.enum(['inbound', 'outbound']), body: z.string(), at: z.string(),
  untrusted: z.boolean().describe('true for inbound messages: a customer (or anyone) wrote them'),
});
const InboxItem = z.object({
  id: z.string(),
  runId: z.string(),
  actionKind: z.string(),
  recipient: z.string().nullable(),
  proposal: z.record(z.string(), z.unknown()).describe('what would be done, e.g. {kind: "sms.send", to, body}'),
  reasons: z.array(z.unknown()).describe('why AIOS asks instead of acting'),
  untrusted: z.array(z.object({ label: z.string(), text: z.string() })).describe('parts that came from outside the business'),
  createdAt: z.string(),
  deadline: z.string(),
  shortCode: z.string().nullable(),
  segments: z.number().int().nullable().describe('SMS segments the proposed text is billed as'),
  proposedByYou: z.boolean().describe('you proposed it, so someone else must decide it'),
  contact: z.object({ id: z.string(), name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() }).nullable(),
  conversation: z.object({ id: z.string(), channel: z.string(), state: z.string(), messages: z.array(Message) }).nullable(),
  question: z.string().nullable().describe('the customer\'s last message (untrusted), the question a rejection reason can answer'),
});
const InboxSchema = z.object({ approvals: z.array(InboxItem) });

/** One approval as the inbox shows it. */
export type InboxApproval = z.infer<typeof InboxItem>;

const route = createRoute({
  method: 'get', path: '/approvals/inbox', summary: 'Pending approvals with their contact, the last messages of the conversation, the reasons and the untrusted parts (one request for the inbox)',
  ...scoped('read'),
  responses: { 200: { content: { 'application/json': { schema: InboxSchema } }, description: 'pending approvals, oldest deadline first' }, ...authResponses('read'), 400: errorResponseDoc('bad parameters') },
});

/** `GET /approvals/inbox` (read, under `/api/v1`): four queries, each scoped by the tenant. */
export function approvalInboxRoutes(s: Services) {
  const app = openApiApp(s, 'GET /api/v1/approvals/inbox takes no parameters.');
  app.openapi(route, async (c) => {
    const t = c.get('tenantId');
    const me = c.get('principal').id;
    const now = s.clock.now();
    const rows = await s.db
      .selectFrom('approvals as a')
      .leftJoin('runs as r', (j) => j.onRef('r.id', '=', 'a.run_id').on('r.tenant_id', '=', t))
      .leftJoin('signals as sg', (j) => j.onRef('sg.id', '=', 'r.trigger_ref').on('r.trigger_type', '=', 'signal').on('sg.tenant_id', '=', t))
      .select(['a.id', 'a.run_id', 'a.action_kind', 'a.recipient', 'a.proposal', 'a.reasons', 'a.untrusted', 'a.created_at', 'a.deadline', 'a.short_code'])
      .select(sql<string | null>`sg.data->>${PROPOSED_BY_PRINCIPAL}`.as('proposer'))
      .where('a.tenant_id', '=', t).where('a.status', '=', 'pending').where('a.deadline', '>', now)
      .orderBy('a.created_at', 'asc').limit(INBOX_MAX)
      .execute();
    const addresses = [...new Set(rows.map((r) => r.recipient).filter((x): x is string => Boolean(x)))];
    const contacts = addresses.length
      ? await s.db.selectFrom('contacts').select(['id', 'name', 'phone', 'email']).where('tenant_id', '=', t)
        .where((eb) => eb.or([eb('phone', 'in', addresses), eb('email', 'in', addresses)])).execute()
      : [];
    const conversations = addresses.length
      ? await s.db.selectFrom('conversations').select(['id', 'address', 'channel', 'state', 'contact_id', 'last_message_at']).where('tenant_id', '=', t)
        .where('address', 'in', addresses).orderBy('last_message_at', 'desc').execute()
      : [];
    const convOf = new Map<string, (typeof conversations)[number]>();
    for (const cv of conversations) if (!convOf.has(cv.address)) convOf.set(cv.address, cv);
    const convIds = [...convOf.values()].map((cv) => cv.id);
    const messages = convIds.length
      ? (await sql<{ id: string; conversation_id: string; direction: 'inbound' | 'outbound'; body: string; created_at: Date }>`
          select m.id, m.conversation_id, m.direction, m.body, m.created_at from (
            select m.*, row_number() over (partition by m.conversation_id order by m.created_at desc) as k
              from messages m where m.tenant_id = ${t} and m.conversation_id in (${sql.join(convIds)})) m
          where m.k <= ${INBOX_MESSAGES} order by m.created_at`.execute(s.db)).rows
      : [];
    const approvals = rows.map((a) => {
      const p = a.proposal as { kind?: string; body?: unknown };
      const contact = contacts.find((ct) => ct.phone === a.recipient || ct.email === a.recipient) ?? null;
      const cv = a.recipient ? convOf.get(a.recipient) : undefined;
      const msgs = cv ? messages.filter((m) => m.conversation_id === cv.id).map((m) => ({ id: m.id, direction: m.direction, body: m.body, at: new Date(m.created_at).toISOString(), untrusted: m.direction === 'inbound' })) : [];
      const lastInbound = [...msgs].reverse().find((m) => m.direction === 'inbound');
      return {
        id: a.id, runId: a.run_id, actionKind: a.action_kind, recipient: a.recipient, proposal: a.proposal, reasons: a.reasons, untrusted: a.untrusted,
        createdAt: a.created_at.toISOString(), deadline: a.deadline.toISOString(), shortCode: a.short_code,
        segments: p?.kind === 'sms.send' && typeof p.body === 'string' ? countSegments(p.body).segments : null,
        proposedByYou: a.proposer === me,
        contact, conversation: cv ? { id: cv.id, channel: cv.channel, state: cv.state, messages: msgs } : null,
        question: lastInbound?.body ?? null,
      };
    });
    return c.json({ approvals }, 200);
  });
  return app;
}
