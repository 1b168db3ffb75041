import type { Selectable } from 'kysely';
import type { Db } from '../../store/db.js';
import type { BriefsTable } from '../../store/schema.js';
import { newId } from '../../core/ids.js';
import type { BriefKind } from './brief-time.js';
import type { BriefContent } from './brief-content.js';

/** A stored brief. */
export type BriefRow = Selectable<BriefsTable>;

/** How long a sender holds a brief it is mailing before another process may try, in ms. */
export const SEND_LEASE_MS = 5 * 60_000;

/** The end of the window of the business's latest brief of a kind (the next one starts there), or null. */
export async function lastBriefEnd(db: Db, tenantId: string, kind: BriefKind): Promise<Date | null> {
  const r = await db.selectFrom('briefs').select('period_end').where('tenant_id', '=', tenantId).where('kind', '=', kind).orderBy('period_end', 'desc').limit(1).executeTakeFirst();
  return r?.period_end ?? null;
}

/** The stored brief of a kind for a local date, if any. */
export async function findBrief(db: Db, tenantId: string, kind: BriefKind, localDate: string): Promise<BriefRow | undefined> {
  return db.selectFrom('briefs').selectAll().where('tenant_id', '=', tenantId).where('kind', '=', kind).where('local_date', '=', localDate).executeTakeFirst();
}

/** The business's latest brief of a kind, if any. */
export async function latestBrief(db: Db, tenantId: string, kind: BriefKind): Promise<BriefRow | undefined> {
  return db.selectFrom('briefs').selectAll().where('tenant_id', '=', tenantId).where('kind', '=', kind).orderBy('local_date', 'desc').limit(1).executeTakeFirst();
}

/**
 * Stores a brief unless one of that kind exists for that local date (the unique key decides
 * between racing processes). Returns the row that is stored now, whoever wrote it, and whether
 * this call wrote it.
 */
export async function storeBrief(db: Db, b: { tenantId: string; content: BriefContent; periodStart: Date; periodEnd: Date; createdAt: Date }): Promise<{ row: BriefRow; inserted: boolean }> {
  const inserted = await db
    .insertInto('briefs')
    .values({ id: newId('br'), tenant_id: b.tenantId, kind: b.content.kind, local_date: b.content.localDate, period_start: b.periodStart, period_end: b.periodEnd, content: JSON.stringify(b.content), created_at: b.createdAt })
    .onConflict((oc) => oc.columns(['tenant_id', 'kind', 'local_date']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, inserted: true };
  return { row: (await findBrief(db, b.tenantId, b.content.kind, b.content.localDate))!, inserted: false };
}

/**
 * Takes the sender's lease on a brief that is neither mailed nor settled as not mailed: one
 * process at a time gets it (until `now` + {@link SEND_LEASE_MS}); a crashed sender's lease runs
 * out and the next pass tries again. Returns the row when this caller holds the lease.
 */
export async function claimForSending(db: Db, id: string, now: Date): Promise<BriefRow | undefined> {
  return db
    .updateTable('briefs')
    .set({ claimed_until: new Date(now.getTime() + SEND_LEASE_MS) })
    .where('id', '=', id)
    .where('sent_at', 'is', null)
    .where('not_sent_reason', 'is', null)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .returningAll()
    .executeTakeFirst();
}

/** Records how the mail went: sent (with its outbox row) or why it was not. Ends the lease. */
export async function settleBrief(db: Db, id: string, r: { sentAt?: Date; outboxId?: string | null; emailTo?: string | null; notSentReason?: string }): Promise<void> {
  await db
    .updateTable('briefs')
    .set({ sent_at: r.sentAt ?? null, outbox_id: r.outboxId ?? null, email_to: r.emailTo ?? null, not_sent_reason: r.notSentReason ?? null, claimed_until: null })
    .where('id', '=', id)
    .execute();
}
