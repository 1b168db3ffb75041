import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { newId } from '../core/ids.js';

/** Signal kind raised when a knowledge file (or a price row in it) is past its `valid_until`. */
export const KNOWLEDGE_EXPIRED = 'knowledge_expired';

/**
 * Raises one `knowledge_expired` signal per (file, valid_until) that has passed `today`
 * (`YYYY-MM-DD`, tenant's time zone). Idempotent: the dedup key
 * `knowledge_expired:<file>:<valid_until>` makes repeated syncs raise it once; a new date in the
 * file raises a new signal when that date passes.
 * @returns every expired (file, date), whether its signal is new or not
 */
export async function raiseExpirySignals(db: Db, tenantId: string, today: string): Promise<{ file: string; validUntil: string }[]> {
  const rows = await sql<{ file: string; valid_until: string }>`
    select path as file, valid_until::text as valid_until from knowledge_documents
     where tenant_id = ${tenantId} and status = 'indexed' and valid_until < ${today}::date
    union
    select file, valid_until::text from knowledge_facts
     where tenant_id = ${tenantId} and valid_until < ${today}::date
    order by 1, 2`.execute(db);
  const expired = rows.rows.map((r) => ({ file: r.file, validUntil: r.valid_until }));
  if (expired.length === 0) return expired;
  await db
    .insertInto('signals')
    .values(
      expired.map((e) => ({
        id: newId('sig'),
        tenant_id: tenantId,
        kind: KNOWLEDGE_EXPIRED,
        subject: e.file,
        severity: 'normal',
        dedup_key: `${KNOWLEDGE_EXPIRED}:${e.file}:${e.validUntil}`,
        data: JSON.stringify({
          file: e.file,
          validUntil: e.validUntil,
          message: `${e.file} expired on ${e.validUntil}; its facts are no longer used in answers. Update the file or its valid_until.`,
        }),
      })),
    )
    .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing())
    .execute();
  return expired;
}
