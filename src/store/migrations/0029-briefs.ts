import { sql, type Kysely } from 'kysely';

/**
 * `briefs` (issue 11): the owner's daily brief and weekly report, one row per business, kind and
 * local date (text YYYY-MM-DD, the business's calendar day, never shifted by a driver's zone) — the unique key is what makes a brief exactly once per day, however many processes
 * or ticks try. `period_start`/`period_end`: the window it covers; `content`: what it said (the
 * figures and the rendered text). Mail: `email_to` and `outbox_id` (the owner notice in the
 * outbox), `sent_at` when the mail left, or `not_sent_reason` saying why it was not emailed.
 * `claimed_until`: a sender's lease, so two processes never deliver the same brief together.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table briefs (
  id text primary key,
  tenant_id text not null references tenants(id),
  kind text not null check (kind in ('daily', 'weekly')),
  local_date text not null check (local_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  period_start timestamptz not null,
  period_end timestamptz not null,
  content jsonb not null,
  email_to text,
  outbox_id text references outbox(id),
  sent_at timestamptz,
  not_sent_reason text,
  claimed_until timestamptz,
  created_at timestamptz not null default now(),
  unique (tenant_id, kind, local_date)
);
create index briefs_tenant_kind_created on briefs (tenant_id, kind, created_at desc);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
