import { sql } from 'kysely';
import type { Db } from '../store/db.js';

/** When `watcher` last finished a pass for the tenant (business clock), null before its first. */
export async function lastCheckedAt(db: Db, tenantId: string, watcher: string): Promise<Date | null> {
  const r = await sql<{ last_checked_at: Date }>`select last_checked_at from watcher_state where tenant_id = ${tenantId} and watcher = ${watcher}`.execute(db);
  const at = r.rows[0]?.last_checked_at;
  return at ? new Date(at) : null;
}

/** Records a finished pass at `at`; never moves the mark back (a clock set back keeps the later mark). */
export async function markChecked(db: Db, tenantId: string, watcher: string, at: Date): Promise<void> {
  await sql`
    insert into watcher_state (tenant_id, watcher, last_checked_at) values (${tenantId}, ${watcher}, ${at})
    on conflict (tenant_id, watcher) do update set last_checked_at = greatest(watcher_state.last_checked_at, excluded.last_checked_at)`.execute(db);
}
