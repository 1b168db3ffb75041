import type { Db } from '../store/db.js';
import type { Signal } from '../store/schema.js';
import { newId } from '../core/ids.js';
import { EMAIL_RECEIVED, type EmailReceivedData } from './back-office-signals.js';

/** A filed inbound mail, as the poll's transaction knows it. */
export interface FiledEmail {
  tenantId: string;
  eventId: string;
  connectionId: string | null;
  messageId: string | null;
  from: string;
  subject: string | null;
  contactId: string;
  conversationId: string;
  at: Date;
}

/**
 * Raises {@link EMAIL_RECEIVED} for a mail just filed, in the poll's transaction: once per event
 * (dedup `email_received:<eventId>`), and never for mail the business sent itself (`from` is one
 * of `ownAddresses`, compared case-insensitively) — that returns null. A redelivered mail reaching
 * here again returns the existing signal with `created: false` (plan no second run).
 */
export async function onEmailReceived(db: Db, e: FiledEmail, ownAddresses: readonly string[]): Promise<{ signal: Signal; created: boolean } | null> {
  const from = e.from.trim().toLowerCase();
  if (!from || ownAddresses.some((a) => a.trim().toLowerCase() === from)) return null;
  const dedupKey = `${EMAIL_RECEIVED}:${e.eventId}`;
  const data: EmailReceivedData = { eventId: e.eventId, connectionId: e.connectionId, messageId: e.messageId, conversationId: e.conversationId, contactId: e.contactId, from, subject: e.subject };
  const inserted = await db
    .insertInto('signals')
    .values({ id: newId('sig'), tenant_id: e.tenantId, kind: EMAIL_RECEIVED, subject: from, severity: 'normal', dedup_key: dedupKey, data: JSON.stringify(data), event_id: e.eventId, created_at: e.at })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { signal: inserted, created: true };
  const signal = await db.selectFrom('signals').selectAll().where('tenant_id', '=', e.tenantId).where('dedup_key', '=', dedupKey).executeTakeFirstOrThrow();
  return { signal, created: false };
}
