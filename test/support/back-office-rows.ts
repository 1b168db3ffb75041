import { sql } from 'kysely';
import type { Db } from '../../src/store/db.js';
import { newId } from '../../src/core/ids.js';
import { fileInboundEmail } from '../../src/records/email-messages.js';

/** Test rows for the back-office watchers, written straight into the records (as connectors would). */

/** Files an inbound email at `at` (as the IMAP connector does); returns its conversation. */
export async function inboundEmail(db: Db, tenantId: string, from: string, text: string, at: Date): Promise<{ conversationId: string; contactId: string }> {
  const eventId = newId('ev');
  await db.insertInto('events').values({ id: eventId, tenant_id: tenantId, source: 'imap', type: 'email.received', dedup_key: `test:${eventId}`, occurred_at: at, payload: JSON.stringify({ from: [{ address: from }], text }) }).execute();
  return fileInboundEmail(db, { tenantId, fromAddress: from, fromName: null, subject: 'Question', text, messageId: `<${eventId}@test>`, eventId, at });
}

/** An `email.send` outbox row already sent to `to` at `at` (a reply or follow-up went out). */
export async function sentEmail(db: Db, tenantId: string, to: string, at: Date): Promise<void> {
  await db.insertInto('outbox').values({ id: newId('ob'), tenant_id: tenantId, idempotency_key: newId('k'), kind: 'email.send', channel: 'email', recipient: to, payload: JSON.stringify({ subject: 'Re', body: 'Answer' }), status: 'sent', sent_at: at, created_at: at }).execute();
}

/** A contact (email) with an open deal in `stage` whose last activity was at `lastActivityAt`. */
export async function deal(db: Db, tenantId: string, email: string, stage: string, lastActivityAt: Date): Promise<{ dealId: string; contactId: string }> {
  const contactId = newId('ct');
  await db.insertInto('contacts').values({ id: contactId, tenant_id: tenantId, email, source: 'test' }).execute();
  const dealId = newId('deal');
  await db.insertInto('deals').values({ id: dealId, tenant_id: tenantId, contact_id: contactId, title: `Job for ${email}`, stage, last_activity_at: lastActivityAt, created_at: lastActivityAt }).execute();
  return { dealId, contactId };
}

/** An imported invoice; `dueAt` null = no due date. Returns its id. */
export async function invoice(db: Db, tenantId: string, o: { dueAt: Date | null; amountCents?: number; paidCents?: number; status?: string; email?: string }): Promise<string> {
  const id = newId('inv');
  await sql`insert into invoices (id, tenant_id, number, external_ref, source, status, currency, amount_cents, amount_paid_cents, due_at, issued_at, customer_email, customer_name)
    values (${id}, ${tenantId}, ${`N-${id.slice(-5)}`}, ${id}, 'csv', ${o.status ?? 'open'}, 'CAD', ${o.amountCents ?? 50_000}, ${o.paidCents ?? 0}, ${o.dueAt}, ${o.dueAt}, ${o.email ?? 'payer@cust.example'}, 'Payer')`.execute(db);
  return id;
}

/** Marks an invoice paid in full. */
export async function payInvoice(db: Db, id: string): Promise<void> {
  await sql`update invoices set status = 'paid', amount_paid_cents = amount_cents, paid_at = now() where id = ${id}`.execute(db);
}

/** A built-in calendar event from `start` to `end` with these attendees. Returns its id. */
export async function meeting(db: Db, tenantId: string, start: Date, end: Date, attendees: Array<{ email: string; name?: string }>, description: string | null = 'Notes: quote the boiler'): Promise<string> {
  const id = newId('cal');
  await sql`insert into calendar_events (id, tenant_id, source, external_id, uid, summary, description, starts_at, ends_at, attendees)
    values (${id}, ${tenantId}, 'builtin', ${id}, ${id}, 'Site visit', ${description}, ${start}, ${end}, ${JSON.stringify(attendees)}::jsonb)`.execute(db);
  return id;
}
