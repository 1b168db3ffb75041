import { sql, type Kysely } from 'kysely';
import { countSegments } from '../../core/sms-segments.js';

/**
 * `outbox.segments`: the SMS segments a sent text is billed as (what the ledger's SMS cost adds
 * up). Texts sent before get their count from the stored body (for owner notices that is the
 * copy with `…/a/[link]` in place of the link, so a close estimate).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox add column segments int`.execute(db);
  const sent = await sql<{ id: string; body: string | null }>`select id, payload->>'body' as body from outbox where channel = 'sms' and status = 'sent'`.execute(db);
  for (const row of sent.rows) {
    await sql`update outbox set segments = ${countSegments(row.body ?? '').segments} where id = ${row.id}`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
