import { sql, type Kysely } from 'kysely';

/**
 * `audits` (issue 11, the "CEO audit"): one row per audit run. `answers`: what the owner answered
 * (any subset of the questions); `measured`: the volumes measured from history at the time (with
 * the window); `blueprint`: the scored, ranked result (inputs with their source, reasoning).
 * `applied`: the playbooks "apply" switched, in order, with the mode each got (shadow or left
 * live), set with `applied_at`; null until applied.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table audits (
  id text primary key,
  tenant_id text not null references tenants(id),
  created_by text not null,
  answers jsonb not null default '{}',
  measured jsonb not null default '{}',
  blueprint jsonb not null,
  applied jsonb,
  applied_by text,
  applied_at timestamptz,
  created_at timestamptz not null default now()
);
create index audits_tenant_created on audits (tenant_id, created_at desc);
`.execute(db);
}
