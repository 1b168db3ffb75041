import { sql, type Kysely } from 'kysely';

/**
 * People and machines that act on a business, and what their tokens may do.
 * - `principals`: users (people) and machine principals (assistants, integrations). A user may be
 *   a member of several businesses (an agency's implementer); identity is global, membership is not.
 * - `memberships`: principal × tenant, with the user's role there (owner | staff | implementer);
 *   machine principals have a membership with no role.
 * - `api_tokens` gain their principal, their scopes (read | propose | decide | admin) and an expiry.
 *
 * Tokens that existed before this migration had no owner and could do everything. Each becomes an
 * `integration` principal of its own with `read` + `propose` only (the least that keeps an
 * integration working); the CLI token is replaced by an owner token at the next start.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table principals (
  id text primary key,
  kind text not null check (kind in ('user', 'assistant', 'integration')),
  name text not null,
  email text,
  created_at timestamptz not null default now(),
  check (kind = 'user' or email is null)
);
create unique index principals_email on principals (lower(email)) where email is not null;

create table memberships (
  principal_id text not null references principals(id),
  tenant_id text not null references tenants(id),
  role text check (role in ('owner', 'staff', 'implementer')),
  created_at timestamptz not null default now(),
  primary key (principal_id, tenant_id)
);
create index memberships_tenant on memberships (tenant_id, role);

alter table api_tokens add column principal_id text references principals(id);
alter table api_tokens add column scopes text[] not null default '{read,propose}'
  check (scopes <@ array['read', 'propose', 'decide', 'admin']::text[] and cardinality(scopes) > 0);
alter table api_tokens add column expires_at timestamptz;

insert into principals (id, kind, name, created_at)
  select 'pr_legacy_' || id, 'integration', name, created_at from api_tokens;
insert into memberships (principal_id, tenant_id, created_at)
  select 'pr_legacy_' || id, tenant_id, created_at from api_tokens;
update api_tokens set principal_id = 'pr_legacy_' || id;

alter table api_tokens alter column principal_id set not null;
alter table api_tokens alter column scopes drop default;
create index api_tokens_principal on api_tokens (principal_id, tenant_id);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
