import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { Contact } from '../store/schema.js';
import { newId } from '../core/ids.js';

/**
 * Finds the tenant's contact with this email (case-insensitive) or creates it. A known name is
 * kept; an unknown one is filled from `name`. Email is not unique in the schema, so concurrent
 * calls are serialised per tenant and address with a transaction-scoped advisory lock: call it
 * inside a transaction (outside one, the lock is released at once and two racing calls may create
 * two contacts). With several matches the oldest contact wins.
 */
export async function upsertContactByEmail(
  db: Db,
  tenantId: string,
  email: string,
  opts: { name?: string | null; source?: string } = {},
): Promise<{ contact: Contact; created: boolean }> {
  const address = email.trim().toLowerCase();
  await sql`select pg_advisory_xact_lock(hashtext(${tenantId} || ':contact-email:' || ${address}))`.execute(db);
  const existing = await db
    .selectFrom('contacts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql`lower(email)`, '=', address)
    .orderBy('created_at')
    .executeTakeFirst();
  if (existing) {
    if (existing.name || !opts.name) return { contact: existing, created: false };
    const contact = await db.updateTable('contacts').set({ name: opts.name, updated_at: sql`now()` }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
    return { contact, created: false };
  }
  const contact = await db
    .insertInto('contacts')
    .values({ id: newId('ct'), tenant_id: tenantId, email: address, name: opts.name ?? null, source: opts.source ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { contact, created: true };
}

/** Sets a contact's email when it has none yet (a known address is never overwritten). */
export async function fillContactEmail(db: Db, contact: Contact, email: string): Promise<Contact> {
  if (contact.email) return contact;
  const row = await db
    .updateTable('contacts')
    .set({ email: email.trim().toLowerCase(), updated_at: sql`now()` })
    .where('id', '=', contact.id)
    .where('email', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row ?? contact;
}
