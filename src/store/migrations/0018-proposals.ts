import { sql, type Kysely } from 'kysely';

/**
 * `proposals` (issue 10): one row per drafted proposal of a deal. `version` counts the deal's
 * proposals (1, 2, …). The Markdown and the PDF bytes are stored as sent; `total_cents` is the sum
 * of the priced line items (unpriced items are "to be quoted by the owner" and not in it).
 * Status: `draft` (written, waiting for the owner) → `approved` → `sent`, or `rejected` /
 * `expired` (nobody decided) / `failed` (approved but the mail could not be sent; `error` says why).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
create table proposals (
  id text primary key,
  tenant_id text not null references tenants(id),
  deal_id text not null references deals(id),
  run_id text not null,
  version integer not null,
  markdown text not null,
  pdf bytea not null,
  total_cents bigint not null,
  currency text not null,
  line_items jsonb not null default '[]',
  unpriced jsonb not null default '[]',
  status text not null default 'draft' check (status in ('draft','approved','sent','rejected','expired','failed')),
  recipient text,
  approved_by text,
  approved_at timestamptz,
  sent_at timestamptz,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, deal_id, version),
  unique (run_id)
);
create index proposals_tenant_deal on proposals(tenant_id, deal_id, version desc);
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
