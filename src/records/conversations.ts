import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { newId } from '../core/ids.js';
import { upsertContactByPhone } from './contacts.js';

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
  return db.transaction().execute(async (tx) => {
    const { contact } = await upsertContactByPhone(tx, m.tenantId, m.address, { source: m.channel });
    const at = m.at ?? new Date();
    const conv = await tx
      .insertInto('conversations')
      .values({ id: newId('cv'), tenant_id: m.tenantId, contact_id: contact.id, channel: m.channel, address: m.address, last_message_at: at })
      .onConflict((oc) => oc.columns(['tenant_id', 'channel', 'address']).doUpdateSet({ last_message_at: sql`greatest(conversations.last_message_at, excluded.last_message_at)` }))
      .returning(['id'])
      .executeTakeFirstOrThrow();
    const inserted = await tx
      .insertInto('messages')
      .values({
        id: newId('msg'),
        tenant_id: m.tenantId,
        conversation_id: conv.id,
        direction: m.direction,
        body: m.body,
        external_id: m.externalId ?? null,
        run_id: m.runId ?? null,
        event_id: m.eventId ?? null,
        media: JSON.stringify(m.media ?? []),
        created_at: at,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'external_id']).where('external_id', 'is not', null).doNothing())
      .returning(['id'])
      .executeTakeFirst();
    if (!inserted) {
      const existing = await tx
        .selectFrom('messages')
        .select('id')
        .where('tenant_id', '=', m.tenantId)
        .where('external_id', '=', m.externalId ?? '')
        .executeTakeFirstOrThrow();
      return { messageId: existing.id, conversationId: conv.id, contactId: contact.id, duplicate: true };
    }
    return { messageId: inserted.id, conversationId: conv.id, contactId: contact.id, duplicate: false };
  });
}
