import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { newId } from '../core/ids.js';

/** A message to add to a contact's conversation on one channel. */
export interface MessageInput {
  tenantId: string;
  channel: 'sms' | 'email' | 'voice';
  /** The customer's address on that channel (E.164 phone for sms). */
  address: string;
  direction: 'inbound' | 'outbound';
  body: string;
  externalId?: string | null;
  runId?: string | null;
  eventId?: string | null;
  media?: unknown[];
  at?: Date;
}

/**
 * Appends a message to the conversation with `address` on `channel`, creating the contact and the
 * conversation on first use. Idempotent on `externalId` (a provider's message id): the same
 * provider message is stored once. Returns the message id and conversation id.
 */
export async function appendMessage(db: Db, m: MessageInput): Promise<{ messageId: string; conversationId: string; contactId: string; duplicate: boolean }> {
  const at = m.at ?? new Date();
  // One statement (contact, conversation, message): atomic without a transaction round trip.
  const r = await sql<{ conversation_id: string; contact_id: string; message_id: string | null }>`
    with c as (
      insert into contacts (id, tenant_id, phone, source) values (${newId('ct')}, ${m.tenantId}, ${m.address}, ${m.channel})
      on conflict (tenant_id, phone) do update set updated_at = now()
      returning id
    ), cv as (
      insert into conversations (id, tenant_id, contact_id, channel, address, last_message_at)
      select ${newId('cv')}, ${m.tenantId}, c.id, ${m.channel}, ${m.address}, ${at} from c
      on conflict (tenant_id, channel, address) do update set last_message_at = greatest(conversations.last_message_at, excluded.last_message_at)
      returning id, contact_id
    ), msg as (
      insert into messages (id, tenant_id, conversation_id, direction, body, external_id, run_id, event_id, media, created_at)
      select ${newId('msg')}, ${m.tenantId}, cv.id, ${m.direction}, ${m.body}, ${m.externalId ?? null}, ${m.runId ?? null}, ${m.eventId ?? null}, ${JSON.stringify(m.media ?? [])}::jsonb, ${at} from cv
      on conflict (tenant_id, external_id) where external_id is not null do nothing
      returning id
    )
    select cv.id as conversation_id, cv.contact_id, (select id from msg) as message_id from cv
  `.execute(db);
  const row = r.rows[0]!;
  if (row.message_id) return { messageId: row.message_id, conversationId: row.conversation_id, contactId: row.contact_id, duplicate: false };
  const existing = await db.selectFrom('messages').select('id').where('tenant_id', '=', m.tenantId).where('external_id', '=', m.externalId ?? '').executeTakeFirstOrThrow();
  return { messageId: existing.id, conversationId: row.conversation_id, contactId: row.contact_id, duplicate: true };
}
