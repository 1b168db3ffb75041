import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { Contact } from '../store/schema.js';
import { newId } from '../core/ids.js';
import { mayReplaceName, nameColumns, nameSourceFor, type NameSource } from './contact-names.js';

/**
 * Finds the tenant's contact with this email (case-insensitive) or creates it. The name is
 * cleaned and kept by the same rules as `upsertContactByPhone` (see `mayReplaceName`). Email is
 * not unique in the schema, so concurrent calls are serialised per tenant and address with a
 * transaction-scoped advisory lock: call it
 * inside a transaction (outside one, the lock is released at once and two racing calls may create
 * two contacts). With several matches the oldest contact wins.
 */
export async function upsertContactByEmail(
  db: Db,
  tenantId: string,
  email: string,
  opts: { name?: string | null; source?: string; nameSource?: NameSource } = {},
): Promise<{ contact: Contact; created: boolean }> {
  const address = email.trim().toLowerCase();
  const named = nameColumns(opts.name, opts.nameSource ?? nameSourceFor(opts.source));
  await sql`select pg_advisory_xact_lock(hashtext(${tenantId} || ':contact-email:' || ${address}))`.execute(db);
  const existing = await db
    .selectFrom('contacts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql`lower(email)`, '=', address)
    .orderBy('created_at')
    .executeTakeFirst();
  if (existing) {
    if (!named.name || !mayReplaceName(existing, named.name_source!)) return { contact: existing, created: false };
    const contact = await db.updateTable('contacts').set({ ...named, updated_at: sql`now()` }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
    return { contact, created: false };
  }
  const contact = await db
    .insertInto('contacts')
    .values({ id: newId('ct'), tenant_id: tenantId, email: address, source: opts.source ?? null, ...named })
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
