import type { Db } from '../store/db.js';
import type { Contact, Signal } from '../store/schema.js';
import type { StoredEvent } from '../connection/events.js';
import type { Lead } from '../connection/forms/lead-input.js';
import { newId } from '../core/ids.js';
import { upsertContactByPhone } from '../records/contacts.js';
import { fillContactEmail, upsertContactByEmail } from '../records/contacts-email.js';
import { quotableName } from '../records/contact-names.js';

/** Signal kind raised for a web lead (signed form webhook or the website widget). */
export const NEW_LEAD = 'new_lead';

/**
 * Turns a `lead.received` event into a contact and a `new_lead` signal. The contact is found or
 * created by phone when the lead has one (its email is filled in when the contact had none), else
 * by email (neither: no contact, subject `no phone or email`). The signal's subject is the phone, else the email; its data is the lead plus the
 * contact id. One signal per event (dedup key `new_lead:<event id>`), so a redelivered event that
 * reaches here twice still raises one. Run it in the same transaction as the event insert.
 */
export async function onNewLead(db: Db, event: StoredEvent, lead: Lead): Promise<{ signal: Signal; contact: Contact | null; contactCreated: boolean }> {
  const source = lead.source === 'widget' ? 'widget' : 'web_form';
  // An anonymous widget visitor's name is unverified and never replaces a name; the business's own
  // signed form is a `form` name (cleaned, never replaces a verified one).
  const nameSource = lead.source === 'widget' ? 'visitor' : 'form';
  let contact: Contact | null = null;
  let created = false;
  if (lead.phone) {
    ({ contact, created } = await upsertContactByPhone(db, event.tenantId, lead.phone, { name: lead.name, source, nameSource }));
    if (lead.email) contact = await fillContactEmail(db, contact, lead.email);
  } else if (lead.email) {
    ({ contact, created } = await upsertContactByEmail(db, event.tenantId, lead.email, { name: lead.name, source, nameSource }));
  }
  // No phone and no email: no contact; the lead-response run hands the message to the owner.
  const subject = lead.phone ?? lead.email ?? 'no phone or email';
  const dedupKey = `${NEW_LEAD}:${event.id}`;
  const inserted = await db
    .insertInto('signals')
    .values({
      id: newId('sig'),
      tenant_id: event.tenantId,
      kind: NEW_LEAD,
      subject,
      severity: 'high',
      dedup_key: dedupKey,
      data: JSON.stringify({
        name: lead.name, phone: lead.phone, email: lead.email, message: lead.message, source: lead.source, page: lead.page,
        contactId: contact?.id ?? null, contactName: contact ? quotableName(contact) : null, newContact: created, receivedAt: event.occurredAt.toISOString(), eventId: event.id,
      }),
      event_id: event.id,
      created_at: event.occurredAt,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  const signal = inserted ?? (await db.selectFrom('signals').selectAll().where('tenant_id', '=', event.tenantId).where('dedup_key', '=', dedupKey).executeTakeFirstOrThrow());
  return { signal, contact, contactCreated: created };
}
