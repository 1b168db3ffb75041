import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { NotFoundError } from '../core/errors.js';

/** Everything the business has on one contact, as the contact's page shows it. */
export interface ContactOverview {
  contact: { id: string; name: string | null; phone: string | null; email: string | null; source: string | null; optedOut: boolean; reviewOptOut: boolean; createdAt: string };
  conversations: Array<{ id: string; channel: string; address: string; state: string; lastMessageAt: string; messages: number }>;
  /** The most recent messages on every channel, oldest first (at most `messageLimit`). Their bodies came from outside when inbound. */
  messages: Array<{ id: string; conversationId: string; channel: string; direction: 'inbound' | 'outbound'; body: string; createdAt: string; runId: string | null }>;
  deals: Array<{ id: string; title: string; stage: string; valueCents: number | null; currency: string; stageChangedAt: string; lastActivityAt: string }>;
  bookings: Array<{ id: string; startsAt: string; endsAt: string; status: string; need: string | null; location: string | null; runId: string | null }>;
  /** Invoices linked to the contact, or addressed to the contact's email. Money in cents. */
  invoices: Array<{ id: string; number: string | null; status: string; currency: string; amountCents: number; balanceCents: number; dueAt: string | null }>;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * One contact of the tenant with their conversations, latest messages, deals, bookings and
 * invoices. Every query is scoped by `tenantId`.
 * @throws NotFoundError when the contact is not the tenant's (another business's id included).
 */
export async function contactOverview(db: Db, tenantId: string, contactId: string, messageLimit = 100): Promise<ContactOverview> {
  const c = await db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).where('id', '=', contactId).executeTakeFirst();
  if (!c) throw new NotFoundError('contact', contactId);
  const [conversations, messages, deals, bookings, invoices] = await Promise.all([
    db.selectFrom('conversations')
      .select(['id', 'channel', 'address', 'state', 'last_message_at'])
      .select((eb) => eb.selectFrom('messages').select(sql<number>`count(*)::int`.as('n')).whereRef('messages.conversation_id', '=', 'conversations.id').where('messages.tenant_id', '=', tenantId).as('messages'))
      .where('tenant_id', '=', tenantId).where('contact_id', '=', c.id).orderBy('last_message_at', 'desc').execute(),
    db.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select(['messages.id', 'messages.conversation_id', 'conversations.channel', 'messages.direction', 'messages.body', 'messages.created_at', 'messages.run_id'])
      .where('messages.tenant_id', '=', tenantId).where('conversations.tenant_id', '=', tenantId).where('conversations.contact_id', '=', c.id)
      .orderBy('messages.created_at', 'desc').limit(messageLimit).execute(),
    db.selectFrom('deals').select(['id', 'title', 'stage', 'value_cents', 'currency', 'stage_changed_at', 'last_activity_at'])
      .where('tenant_id', '=', tenantId).where('contact_id', '=', c.id).orderBy('created_at', 'desc').execute(),
    db.selectFrom('bookings').select(['id', 'starts_at', 'ends_at', 'status', 'need', 'location', 'run_id'])
      .where('tenant_id', '=', tenantId).where('contact_id', '=', c.id).where('status', 'not in', ['held', 'released', 'expired']).orderBy('starts_at', 'desc').execute(),
    db.selectFrom('invoices').select(['id', 'number', 'status', 'currency', 'amount_cents', 'amount_paid_cents', 'due_at'])
      .where('tenant_id', '=', tenantId)
      .where((eb) => (c.email ? eb.or([eb('contact_id', '=', c.id), eb(sql`lower(customer_email)`, '=', c.email.toLowerCase())]) : eb('contact_id', '=', c.id)))
      .orderBy('due_at', 'desc').execute(),
  ]);
  return {
    contact: { id: c.id, name: c.name, phone: c.phone, email: c.email, source: c.source, optedOut: c.opted_out_at !== null, reviewOptOut: c.review_opt_out, createdAt: iso(c.created_at) },
    conversations: conversations.map((v) => ({ id: v.id, channel: v.channel, address: v.address, state: v.state, lastMessageAt: iso(v.last_message_at), messages: Number(v.messages ?? 0) })),
    messages: messages.reverse().map((m) => ({ id: m.id, conversationId: m.conversation_id, channel: m.channel, direction: m.direction, body: m.body, createdAt: iso(m.created_at), runId: m.run_id })),
    deals: deals.map((d) => ({ id: d.id, title: d.title, stage: d.stage, valueCents: d.value_cents === null ? null : Number(d.value_cents), currency: d.currency, stageChangedAt: iso(d.stage_changed_at), lastActivityAt: iso(d.last_activity_at) })),
    bookings: bookings.map((b) => ({ id: b.id, startsAt: iso(b.starts_at), endsAt: iso(b.ends_at), status: b.status, need: b.need, location: b.location, runId: b.run_id })),
    invoices: invoices.map((i) => ({ id: i.id, number: i.number, status: i.status, currency: i.currency, amountCents: Number(i.amount_cents), balanceCents: Number(i.amount_cents) - Number(i.amount_paid_cents), dueAt: i.due_at ? iso(i.due_at) : null })),
  };
}
