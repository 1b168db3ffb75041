import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { newId } from '../core/ids.js';

/** Pipeline stage names used by AIOS's own playbooks. */
export const STAGE_NEW_LEAD = 'new lead';
/** A booked appointment is on the calendar. */
export const STAGE_BOOKED = 'booked';
/** The booked job was done. */
export const STAGE_DONE = 'done';
/** The customer cancelled or did not show up. */
export const STAGE_LOST = 'lost';

/**
 * Opens a deal for the contact in `stage`, unless the contact already has an open deal (a stage
 * other than won/lost/done), in which case that deal's activity time is bumped and it is returned.
 */
export async function openDealForContact(
  db: Db,
  tenantId: string,
  contactId: string,
  opts: { title: string; stage?: string; source?: string; currency?: string },
): Promise<{ dealId: string; created: boolean }> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${tenantId} || ':deal:' || ${contactId}))`.execute(tx);
    const open = await tx
      .selectFrom('deals')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', contactId)
      .where('stage', 'not in', ['won', 'lost', STAGE_DONE])
      .executeTakeFirst();
    if (open) {
      await tx.updateTable('deals').set({ last_activity_at: sql`now()` }).where('id', '=', open.id).execute();
      return { dealId: open.id, created: false };
    }
    const id = newId('deal');
    await tx
      .insertInto('deals')
      .values({ id, tenant_id: tenantId, contact_id: contactId, title: opts.title, stage: opts.stage ?? STAGE_NEW_LEAD, source: opts.source ?? null, currency: opts.currency })
      .execute();
    return { dealId: id, created: true };
  });
}

/** Moves a deal of the tenant to `stage` and bumps its activity time. */
export async function setDealStage(db: Db, tenantId: string, dealId: string, stage: string): Promise<void> {
  await db.updateTable('deals').set({ stage, last_activity_at: sql`now()` }).where('tenant_id', '=', tenantId).where('id', '=', dealId).execute();
}
