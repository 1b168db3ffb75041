import { sql, type Kysely } from 'kysely';

/** The backbone tables of DESIGN §4. Every business table carries tenant_id. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table tenants (
  id text primary key,
  slug text not null unique,
  name text not null,
  time_zone text not null,
  locale text not null default 'en-CA',
  currency text not null default 'CAD',
  phone text,
  profile jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index tenants_phone on tenants(phone) where phone is not null;

create table api_tokens (
  id text primary key,
  tenant_id text not null references tenants(id),
  name text not null,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create table events (
  id text primary key,
  tenant_id text not null references tenants(id),
  source text not null,
  type text not null,
  dedup_key text not null,
  occurred_at timestamptz not null,
  received_at timestamptz not null default now(),
  payload jsonb not null,
  unique (tenant_id, dedup_key)
);
create index events_tenant_type on events(tenant_id, type, received_at desc);

create table contacts (
  id text primary key,
  tenant_id text not null references tenants(id),
  name text,
  phone text,
  email text,
  source text,
  opted_out_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, phone)
);

create table deals (
  id text primary key,
  tenant_id text not null references tenants(id),
  contact_id text not null references contacts(id),
  title text not null,
  stage text not null,
  value_cents bigint,
  currency text not null default 'CAD',
  source text,
  last_activity_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
create index deals_tenant_contact on deals(tenant_id, contact_id);

create table conversations (
  id text primary key,
  tenant_id text not null references tenants(id),
  contact_id text not null references contacts(id),
  channel text not null,
  address text not null,
  last_message_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  unique (tenant_id, channel, address)
);

create table messages (
  id text primary key,
  tenant_id text not null references tenants(id),
  conversation_id text not null references conversations(id),
  direction text not null check (direction in ('inbound','outbound')),
  body text not null,
  external_id text,
  run_id text,
  event_id text,
  media jsonb not null default '[]',
  created_at timestamptz not null default now()
);
create index messages_conversation on messages(tenant_id, conversation_id, created_at);
create unique index messages_external on messages(tenant_id, external_id) where external_id is not null;

create table signals (
  id text primary key,
  tenant_id text not null references tenants(id),
  kind text not null,
  subject text not null,
  severity text not null default 'normal',
  status text not null default 'open' check (status in ('open','handling','resolved','dismissed')),
  dedup_key text not null,
  data jsonb not null default '{}',
  event_id text,
  occurrences int not null default 1,
  run_id text,
  dispatched_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  resolved_at timestamptz,
  unique (tenant_id, dedup_key)
);
create index signals_tenant_status on signals(tenant_id, status, created_at desc);
create index signals_undispatched on signals(created_at) where dispatched_at is null;

create table runs (
  id text primary key,
  tenant_id text not null references tenants(id),
  playbook text not null,
  version int not null,
  status text not null check (status in ('running','waiting','completed','failed','cancelled')),
  mode text not null default 'live' check (mode in ('live','shadow')),
  trigger_type text not null,
  trigger_ref text not null,
  waiting_for text,
  summary text,
  error text,
  started_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index runs_tenant_started on runs(tenant_id, started_at desc);
create index runs_waiting on runs(tenant_id, waiting_for) where status = 'waiting';

create table approvals (
  id text primary key,
  tenant_id text not null references tenants(id),
  run_id text not null references runs(id),
  step_id text not null,
  action_kind text not null,
  recipient text,
  proposal jsonb not null,
  reasons jsonb not null,
  status text not null default 'pending' check (status in ('pending','approved','rejected','expired')),
  token_hash text unique,
  token_expires_at timestamptz,
  deadline timestamptz not null,
  decided_by text,
  decided_at timestamptz,
  edits jsonb,
  reason text,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  unique (run_id, step_id)
);
create index approvals_tenant_status on approvals(tenant_id, status, created_at desc);

create table outbox (
  id text primary key,
  tenant_id text not null references tenants(id),
  run_id text,
  step_id text,
  idempotency_key text not null unique,
  kind text not null,
  channel text not null,
  recipient text not null,
  payload jsonb not null,
  status text not null check (status in ('pending','sending','sent','failed','cancelled')),
  not_before timestamptz,
  attempts int not null default 0,
  provider_ref text,
  provider_response jsonb,
  last_error text,
  created_at timestamptz not null default now(),
  sending_at timestamptz,
  sent_at timestamptz
);
create index outbox_tenant_created on outbox(tenant_id, created_at desc);
create index outbox_recipient on outbox(tenant_id, recipient, created_at);

create table ledger (
  id text primary key,
  tenant_id text not null references tenants(id),
  run_id text,
  outbox_id text,
  category text not null,
  minutes_saved numeric(10,2) not null default 0,
  value_cents bigint not null default 0,
  ai_cost_micros bigint not null default 0,
  response_ms bigint,
  note text,
  created_at timestamptz not null default now(),
  unique (tenant_id, run_id, category)
);
create index ledger_tenant_created on ledger(tenant_id, created_at desc);

create table audit_log (
  id bigserial primary key,
  tenant_id text not null references tenants(id),
  actor text not null,
  action text not null,
  subject text,
  detail jsonb not null default '{}',
  at timestamptz not null default now()
);
create index audit_tenant_at on audit_log(tenant_id, at desc);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
