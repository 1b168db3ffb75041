import { sql, type Kysely } from 'kysely';

/**
 * Calendar events (DESIGN §4), one row per event or per overridden occurrence, from a CalDAV
 * calendar, a read-only ICS feed, or AIOS's own built-in calendar. `external_id` is the CalDAV href
 * (or `UID` plus `#RECURRENCE-ID` for an ICS feed); a sync upserts on (tenant, source, external id).
 * Times are instants (`timestamptz`); `time_zone` keeps the event's own IANA zone for display.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
create table calendar_events (
  id text primary key,
  tenant_id text not null references tenants(id),
  connection_id text,
  source text not null check (source in ('caldav','ics','builtin')),
  external_id text not null,
  uid text not null,
  etag text,
  summary text,
  description text,
  location text,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  all_day boolean not null default false,
  time_zone text,
  status text not null default 'confirmed' check (status in ('confirmed','tentative','cancelled')),
  rrule text,
  attendees jsonb not null default '[]'::jsonb,
  raw_ics text,
  updated_at timestamptz not null default now(),
  unique (tenant_id, source, external_id),
  check (ends_at >= starts_at)
);
create index calendar_events_tenant_time on calendar_events(tenant_id, starts_at, ends_at);
create index calendar_events_tenant_uid on calendar_events(tenant_id, uid);
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
