import { sql, type Kysely } from 'kysely';

/**
 * Watchers (issue 10): signals can be snoozed and dismissed with a reason, and each scheduled
 * watcher remembers when it last looked, so a start after downtime covers the gap once.
 * - `signals.status` gains `snoozed` (hidden until `snoozed_until`, then `open` again);
 *   `dismiss_reason` keeps the owner's reason for a dismissal. Existing statuses are unchanged.
 * - `watcher_state (tenant_id, watcher, last_checked_at)`: the instant (business clock) up to
 *   which a watcher has looked.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table signals drop constraint signals_status_check`.execute(db);
  await sql`alter table signals add constraint signals_status_check check (status in ('open','handling','snoozed','resolved','dismissed'))`.execute(db);
  await sql`alter table signals add column snoozed_until timestamptz`.execute(db);
  await sql`alter table signals add column dismiss_reason text`.execute(db);
  await sql`create index signals_snoozed on signals(snoozed_until) where status = 'snoozed'`.execute(db);
  await sql`
    create table watcher_state (
      tenant_id text not null references tenants(id),
      watcher text not null,
      last_checked_at timestamptz not null,
      primary key (tenant_id, watcher)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
