import { sql, type Kysely } from 'kysely';

/**
 * Inbox triage (issue 10).
 * - `email_triage`: one row per inbound mail (its `events` row): the category, the reason (the
 *   rule or the words that decided), who decided (`classifier` offline, `model`, or `owner` after
 *   a relabel), the confidence 0..1, and the mailbox label last asked for. Unique per event.
 * - `triage_corrections`: every owner relabel, a training example for the offline classifier
 *   (the mail's triage features are kept in `features`, so the model can be rebuilt at start
 *   without re-reading events) and the few-shot examples of the model prompt.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table email_triage (
      id text primary key,
      tenant_id text not null references tenants(id),
      event_id text not null references events(id),
      connection_id text,
      message_id text,
      from_address text not null,
      subject text,
      category text not null check (category in ('lead', 'customer_request', 'scheduling', 'billing', 'vendor', 'newsletter', 'spam', 'personal')),
      reason text not null,
      source text not null check (source in ('classifier', 'model', 'owner')),
      confidence double precision not null check (confidence >= 0 and confidence <= 1),
      run_id text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (tenant_id, event_id)
    )`.execute(db);
  await sql`create index email_triage_category on email_triage (tenant_id, category, created_at desc)`.execute(db);
  await sql`
    create table triage_corrections (
      id text primary key,
      tenant_id text not null references tenants(id),
      triage_id text not null references email_triage(id),
      from_category text not null,
      to_category text not null check (to_category in ('lead', 'customer_request', 'scheduling', 'billing', 'vendor', 'newsletter', 'spam', 'personal')),
      features jsonb not null,
      decided_by text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index triage_corrections_recent on triage_corrections (tenant_id, created_at desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
