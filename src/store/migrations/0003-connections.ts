import { sql, type Kysely } from 'kysely';

/**
 * The connection layer (DESIGN §4, §7): connections with encrypted credentials and a cursor, the
 * items each connection has delivered (unique per connection + external id), quarantined items,
 * and the money records fed by Stripe webhooks and CSV imports (`invoices`, `payments`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table connections (
  id text primary key,
  tenant_id text not null references tenants(id),
  kind text not null,
  name text not null,
  credentials_encrypted text,
  cursor jsonb not null default '{}',
  status text not null default 'ok' check (status in ('ok', 'error', 'auth_failed', 'disabled')),
  last_sync_at timestamptz,
  last_error text,
  failures integer not null default 0,
  next_retry_at timestamptz,
  backlog integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index connections_tenant on connections(tenant_id, kind);

create table connector_items (
  tenant_id text not null references tenants(id),
  connection_id text not null references connections(id) on delete cascade,
  external_id text not null,
  event_id text,
  created_at timestamptz not null default now(),
  primary key (connection_id, external_id)
);

create table quarantine (
  id text primary key,
  tenant_id text not null references tenants(id),
  connection_id text references connections(id) on delete set null,
  source text not null,
  external_id text not null,
  reason text not null,
  sample text,
  created_at timestamptz not null default now(),
  unique (tenant_id, source, external_id)
);
create index quarantine_tenant on quarantine(tenant_id, created_at desc);

create table invoices (
  id text primary key,
  tenant_id text not null references tenants(id),
  contact_id text references contacts(id),
  number text,
  external_ref text not null,
  source text not null check (source in ('stripe', 'csv', 'builtin')),
  status text not null check (status in ('draft', 'open', 'paid', 'void', 'uncollectible', 'overdue')),
  currency text not null,
  amount_cents bigint not null,
  amount_paid_cents bigint not null default 0,
  due_at timestamptz,
  issued_at timestamptz,
  paid_at timestamptz,
  customer_email text,
  customer_name text,
  updated_at timestamptz not null default now(),
  unique (tenant_id, source, external_ref)
);
create index invoices_tenant_status on invoices(tenant_id, status, due_at);

create table payments (
  id text primary key,
  tenant_id text not null references tenants(id),
  invoice_id text references invoices(id),
  external_ref text not null,
  amount_cents bigint not null,
  currency text not null,
  paid_at timestamptz not null,
  source text not null,
  unique (tenant_id, source, external_ref)
);
create index contacts_tenant_email on contacts(tenant_id, lower(email)) where email is not null;
`.execute(db);
}

/** Forward-only: AIOS never migrates down. */
export async function down(): Promise<void> {
  throw new Error('0003-connections cannot be reverted');
}
