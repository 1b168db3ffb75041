import { sql, type Kysely } from 'kysely';

/**
 * `bookings` (issue 9): one row per reserved appointment slot, from the short-lived hold to the
 * finished job. Status: `held` (reserved for `expires_at`), `released` (hold given up), `expired`
 * (hold ran out), `booked` (the appointment run took it; calendar write pending), `confirmed`
 * (on the calendar), `cancelled`, `done`, `no_show`.
 *
 * No double booking: `blocked` is the appointment plus the business's buffers, and an exclusion
 * constraint (btree_gist) forbids two live rows (`held`, `booked`, `confirmed`) of one tenant
 * whose `blocked` ranges overlap. A hold past `expires_at` is still `held` until the next
 * `holdSlot` over its time marks it `expired` in the same transaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
create extension if not exists btree_gist;
create table bookings (
  id text primary key,
  tenant_id text not null references tenants(id),
  contact_id text not null references contacts(id),
  channel text not null,
  address text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  blocked tstzrange not null,
  status text not null default 'held' check (status in ('held','released','expired','booked','confirmed','cancelled','done','no_show')),
  expires_at timestamptz,
  key text not null,
  run_id text,
  deal_id text,
  calendar_event_id text,
  name text,
  email text,
  need text,
  location text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, key),
  check (ends_at > starts_at),
  constraint bookings_no_overlap exclude using gist (tenant_id with =, blocked with &&) where (status in ('held','booked','confirmed'))
);
create index bookings_tenant_contact on bookings(tenant_id, contact_id, starts_at);
create index bookings_tenant_time on bookings(tenant_id, starts_at);
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
