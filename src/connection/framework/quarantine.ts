import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { newId } from '../../core/ids.js';
import type { QuarantineRow } from './tables.js';
import './tables.js';

/** Longest sample kept with a quarantined item, in characters. */
export const QUARANTINE_SAMPLE_CHARS = 500;

/** An item that could not be processed, with where it came from and why. */
export interface QuarantineInput {
  tenantId: string;
  connectionId?: string | null;
  /** A connection kind (`stripe`, `imap`) or an import (`csv:contacts`). */
  source: string;
  externalId: string;
  reason: string;
  /** Short excerpt; cut to QUARANTINE_SAMPLE_CHARS. Never credentials. */
  sample?: string | null;
}

/**
 * Records a quarantined item. The same (tenant, source, external id) quarantined again replaces
 * the reason and sample (latest failure wins) instead of adding a row.
 */
export async function quarantineItem(db: Db, q: QuarantineInput): Promise<void> {
  const sample = q.sample == null ? null : q.sample.slice(0, QUARANTINE_SAMPLE_CHARS);
  await db
    .insertInto('quarantine')
    .values({ id: newId('qr'), tenant_id: q.tenantId, connection_id: q.connectionId ?? null, source: q.source, external_id: q.externalId, reason: q.reason, sample })
    .onConflict((oc) => oc.columns(['tenant_id', 'source', 'external_id']).doUpdateSet({ reason: sql`excluded.reason`, sample: sql`excluded.sample`, created_at: sql`now()` }))
    .execute();
}

/** The tenant's quarantined items, newest first; `limit` rows at most (default 200). */
export async function listQuarantine(db: Db, tenantId: string, limit = 200): Promise<QuarantineRow[]> {
  return db.selectFrom('quarantine').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
