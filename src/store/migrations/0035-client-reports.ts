import { sql, type Kysely } from 'kysely';

/**
 * Client reporting for agencies (issue 13, item 4).
 *
 * `ad_metrics`: campaign figures imported from Google Ads and Meta Ads CSV exports, one row per
 * business, platform, campaign and reported period (`starts`..`ends`, local dates YYYY-MM-DD, a
 * day or at most one Monday-to-Sunday week). A re-import of the same export overwrites the same
 * rows (the unique key), so importing twice never double counts. `cost_cents` in `currency`.
 * `import_id` names the import that last wrote the row (`ad_imports`: file, format, rows, sha256).
 *
 * `client_reports`: the weekly client report, one row per business and ISO week (`week`,
 * `2026-W48`; `week_start`: its Monday). `content` holds the figures and sections; `summary` the
 * paragraph (`summary_source` template | model) and `unchecked` the numbers of the summary that
 * are not in the figures. Status: pending (waits for the agency's approval) → approved → sent |
 * not_sent (`not_sent_reason`). `approved_by` is the approving person's actor name, never the
 * system that made the report.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
create table ad_imports (
  id text primary key,
  tenant_id text not null references tenants(id),
  platform text not null check (platform in ('google_ads','meta_ads')),
  file_name text not null,
  sha256 text not null,
  rows integer not null,
  created_by text not null,
  created_at timestamptz not null default now()
);
create table ad_metrics (
  tenant_id text not null references tenants(id),
  platform text not null check (platform in ('google_ads','meta_ads')),
  campaign text not null,
  starts text not null check (starts ~ '^\\d{4}-\\d{2}-\\d{2}$'),
  ends text not null check (ends ~ '^\\d{4}-\\d{2}-\\d{2}$' and ends >= starts),
  impressions bigint not null check (impressions >= 0),
  clicks bigint not null check (clicks >= 0),
  cost_cents bigint not null check (cost_cents >= 0),
  conversions numeric(14,2) not null check (conversions >= 0),
  result_indicator text,
  currency text not null,
  import_id text not null references ad_imports(id),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, platform, campaign, starts, ends)
);
create index ad_metrics_tenant_starts on ad_metrics (tenant_id, starts);
create table client_reports (
  id text primary key,
  tenant_id text not null references tenants(id),
  week text not null check (week ~ '^\\d{4}-W\\d{2}$'),
  week_start text not null check (week_start ~ '^\\d{4}-\\d{2}-\\d{2}$'),
  content jsonb not null,
  summary text not null,
  summary_source text not null check (summary_source in ('template','model')),
  unchecked jsonb not null default '[]',
  status text not null default 'pending' check (status in ('pending','approved','sent','not_sent')),
  made_by text not null,
  approved_by text,
  approved_at timestamptz,
  unchecked_confirmed boolean not null default false,
  email_to text,
  outbox_id text references outbox(id),
  sent_at timestamptz,
  not_sent_reason text,
  created_at timestamptz not null default now(),
  unique (tenant_id, week)
);
create index client_reports_week on client_reports (week, tenant_id);
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
