import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { newId } from '../core/ids.js';
import { nameColumns } from './contact-names.js';

/** An email to file into the sender's conversation. */
export interface EmailToFile {
  tenantId: string;
  fromAddress: string;
  fromName: string | null;
  subject: string | null;
  text: string;
  messageId: string | null;
  eventId: string;
  at: Date;
}

/**
 * Files an inbound email: finds the contact by email (case-insensitive) or creates it, then appends
 * the message to the contact's email conversation. Idempotent on the Message-ID. Run it in the
 * transaction that stores the email's event, so a mail is never half-filed.
 */
export async function fileInboundEmail(db: Db, e: EmailToFile): Promise<{ contactId: string; conversationId: string }> {
  const email = e.fromAddress.trim().toLowerCase();
  await sql`select pg_advisory_xact_lock(hashtext(${e.tenantId} || ':email:' || ${email}))`.execute(db);
  let contact = await db.selectFrom('contacts').select('id').where('tenant_id', '=', e.tenantId).where(sql`lower(email)`, '=', email).executeTakeFirst();
  if (!contact) {
    contact = { id: newId('ct') };
    await db.insertInto('contacts').values({ id: contact.id, tenant_id: e.tenantId, email, source: 'email', ...nameColumns(e.fromName, 'email') }).execute();
  }
  const conv = await db
    .insertInto('conversations')
    .values({ id: newId('cv'), tenant_id: e.tenantId, contact_id: contact.id, channel: 'email', address: email, last_message_at: e.at })
    .onConflict((oc) => oc.columns(['tenant_id', 'channel', 'address']).doUpdateSet({ last_message_at: sql`greatest(conversations.last_message_at, excluded.last_message_at)` }))
    .returning('id')
    .executeTakeFirstOrThrow();
  const body = e.subject ? `${e.subject}\n\n${e.text}` : e.text;
  await db
    .insertInto('messages')
    .values({ id: newId('msg'), tenant_id: e.tenantId, conversation_id: conv.id, direction: 'inbound', body, external_id: e.messageId ? `email:${e.messageId}` : null, event_id: e.eventId, created_at: e.at })
    .onConflict((oc) => oc.columns(['tenant_id', 'external_id']).where('external_id', 'is not', null).doNothing())
    .execute();
  return { contactId: contact.id, conversationId: conv.id };
}
