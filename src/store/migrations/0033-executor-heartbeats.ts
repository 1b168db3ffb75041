import { sql, type Kysely } from 'kysely';

/**
 * One row per AIOS process that runs or serves work (`aios start`, `aios start --no-work`,
 * `aios worker`), keyed by its DBOS executor id. The process updates `beat_at` every few seconds;
 * a survivor that finds a peer's beat older than the failover threshold (or the peer stopped)
 * locks the row, recovers the peer's pending DBOS workflows of its own application version and
 * appends that version to `recovered_versions` (see `autonomy/engine/executor-presence.ts`).
 * `token` is drawn per process start: a process whose row was claimed while it was still alive
 * finds its token gone from an `alive` row and stops (fencing).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table executor_heartbeats (
  executor_id text primary key,
  role text not null check (role in ('all', 'web', 'worker')),
  app_version text not null,
  host text not null,
  pid integer not null,
  token text not null,
  status text not null check (status in ('alive', 'stopped', 'dead')),
  started_at timestamptz not null default now(),
  beat_at timestamptz not null default now(),
  claimed_by text,
  claimed_at timestamptz,
  recovered_versions text[] not null default '{}',
  recovered_runs integer not null default 0
);
create index executor_heartbeats_claimable on executor_heartbeats (beat_at) where status <> 'dead';
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
