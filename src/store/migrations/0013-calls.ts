import { sql, type Kysely } from 'kysely';

/**
 * `calls`: one row per phone call AIOS answers (issue 9, the receptionist). The dialogue state
 * (`state`) and the transcript live here so that each Gather turn is one short transaction on one
 * row (`select … for update`), and the status callback can tell an answered call from a missed one.
 * New table only: works on a database that already has data.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table calls (
      id text primary key,
      tenant_id text not null references tenants(id),
      call_sid text not null,
      from_number text not null,
      to_number text not null,
      status text not null default 'in-progress',
      mode text not null,
      state jsonb not null default '{}'::jsonb,
      transcript jsonb not null default '[]'::jsonb,
      run_id text,
      started_at timestamptz not null default now(),
      ended_at timestamptz,
      constraint calls_status check (status in ('ringing', 'in-progress', 'transferring', 'ended')),
      constraint calls_mode check (mode in ('dial', 'gather', 'relay'))
    )`.execute(db);
  await sql`create unique index calls_call_sid on calls (call_sid)`.execute(db);
  await sql`create index calls_tenant_started on calls (tenant_id, started_at desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
