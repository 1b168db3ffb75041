import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { MessageIntent } from '../../awareness/message-intent.js';

/** Where an inbound message that no run waited for goes. */
export type InboundRoute =
  /** Cancel / reschedule: to the appointment run of the customer's upcoming booking. */
  | { to: 'booking' }
  /** A booking request, or a first question from someone who is not a customer yet: a `new_lead`. */
  | { to: 'new_lead' }
  /** A known customer's question: a grounded answer (the owner when none is confident). */
  | { to: 'answer' }
  /** Emergency, complaint, anything AIOS should not handle itself. */
  | { to: 'owner'; reason: string; emergency: boolean }
  /** "Thanks!": nothing to do. */
  | { to: 'nothing'; reason: string };

/** What the router knows about the sender. */
export interface SenderFacts {
  /** A customer in the records, or someone with an open deal (see {@link senderFacts}). */
  known: boolean;
  /** The conversation is already waiting for the owner: AIOS does not talk over them. */
  waitingForOwner: boolean;
  /** The message only acknowledges. */
  acknowledgement: boolean;
}

/**
 * The routing rules (pure). Emergencies and complaints always go to the owner; a conversation the
 * owner has taken over stays with the owner; cancel / reschedule go to the booking (the caller
 * hands them to the owner when there is none); a booking request is a lead; a question or other
 * message from someone new is a lead; a known customer's question gets an answer; anything else a
 * known customer writes goes to the owner.
 */
export function routeInbound(intent: MessageIntent, f: SenderFacts): InboundRoute {
  if (intent === 'emergency') return { to: 'owner', reason: 'emergency', emergency: true };
  if (intent === 'complaint') return { to: 'owner', reason: 'complaint', emergency: false };
  if (f.acknowledgement) return { to: 'nothing', reason: 'acknowledgement; nothing to answer' };
  if (f.waitingForOwner) return { to: 'owner', reason: 'more from a conversation waiting for you', emergency: false };
  if (intent === 'cancel' || intent === 'reschedule') return { to: 'booking' };
  if (intent === 'book') return { to: 'new_lead' };
  if (!f.known) return { to: 'new_lead' };
  if (intent === 'question') return { to: 'answer' };
  return { to: 'owner', reason: 'a message AIOS should not answer alone', emergency: false };
}

/**
 * Whether the contact is known to the business: imported (`import`, `csv:*`), has an invoice, or
 * has a deal that is open (any stage but won/lost) or past "new lead".
 */
export async function contactIsKnown(db: Db, tenantId: string, contactId: string): Promise<boolean> {
  const r = await sql<{ known: boolean }>`
    select exists (
      select 1 from contacts ct where ct.tenant_id = ${tenantId} and ct.id = ${contactId}
        and (ct.source = 'import' or ct.source like 'csv:%'
          or exists (select 1 from invoices i where i.tenant_id = ${tenantId} and (i.contact_id = ct.id or (ct.email is not null and lower(i.customer_email) = lower(ct.email))))
          or exists (select 1 from deals d where d.tenant_id = ${tenantId} and d.contact_id = ct.id))
    ) as known
  `.execute(db);
  return r.rows[0]?.known === true;
}
