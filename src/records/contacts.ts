import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { Contact } from '../store/schema.js';
import { newId } from '../core/ids.js';
import { nameColumns, nameSourceFor, replaceNameSql, type NameSource } from './contact-names.js';

/**
 * Finds the tenant's contact with this phone number (E.164) or creates it. The name is cleaned
 * (`sanitizeName`) and recorded with where it came from (`nameSource`, default from `source`):
 * an empty name is filled, a visitor's name never replaces one, a stronger source replaces an
 * unverified name (see `mayReplaceName`). Safe under concurrency (unique tenant+phone).
 */
export async function upsertContactByPhone(
  db: Db,
  tenantId: string,
  phone: string,
  opts: { name?: string | null; source?: string; nameSource?: NameSource } = {},
): Promise<{ contact: Contact; created: boolean }> {
  const named = nameColumns(opts.name, opts.nameSource ?? nameSourceFor(opts.source));
  const replace = replaceNameSql();
  const row = await db
    .insertInto('contacts')
    .values({ id: newId('ct'), tenant_id: tenantId, phone, source: opts.source ?? null, ...named })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'phone']).doUpdateSet({
        name: sql`case when ${replace} then excluded.name else contacts.name end`,
        name_source: sql`case when ${replace} then excluded.name_source else contacts.name_source end`,
        name_verified: sql`case when ${replace} then excluded.name_verified else contacts.name_verified end`,
        updated_at: sql`now()`,
      }),
    )
    .returningAll()
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .executeTakeFirstOrThrow();
  const { inserted, ...contact } = row as Contact & { inserted: boolean };
  return { contact, created: inserted };
}

/** The tenant's contact with this phone number, or undefined. */
export async function findContactByPhone(db: Db, tenantId: string, phone: string): Promise<Contact | undefined> {
  return db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).where('phone', '=', phone).executeTakeFirst();
}

/**
 * Records an SMS opt-out (STOP) or opt-in (START) for a phone number. Opted-out numbers are never
 * messaged (policy rule `opted_out`, checked again by the outbox just before sending).
 */
export async function setOptOut(db: Db, tenantId: string, phone: string, optedOut: boolean, at: Date): Promise<void> {
  const { contact } = await upsertContactByPhone(db, tenantId, phone, { source: 'sms' });
  await db
    .updateTable('contacts')
    .set({ opted_out_at: optedOut ? at : null, updated_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', contact.id)
    .execute();
}
