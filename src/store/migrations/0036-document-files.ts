import { sql, type Kysely } from 'kysely';

/**
 * Document QC, second half (issue 12): `docqc_files` keeps each uploaded file's bytes (bytea, at
 * most 25 MiB as the upload limit, with its SHA-256) so staff can open the page an exception
 * points at; a re-upload of the same name replaces it. `docqc_documents.signature` holds the
 * signature places looked at (PDF signature fields, signature lines, stamps) so a re-check still
 * quotes them; `docqc_pages.reason` keeps why a whole file was unreadable (encrypted, corrupt,
 * unsupported, too-small) across re-checks.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table docqc_files (
  tenant_id text not null references tenants(id),
  package_id text not null references docqc_packages(id) on delete cascade,
  file text not null,
  content_type text not null check (content_type in ('application/pdf', 'image/png', 'image/jpeg')),
  size_bytes integer not null check (size_bytes between 0 and 26214400),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  bytes bytea not null,
  created_at timestamptz not null default now(),
  primary key (package_id, file)
);
create index docqc_files_tenant on docqc_files (tenant_id, package_id);
alter table docqc_documents add column signatures jsonb not null default '[]';
alter table docqc_pages add column reason text;
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
