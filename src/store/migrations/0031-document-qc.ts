import { sql, type Kysely } from 'kysely';

/**
 * Document quality control (issue 12): `docqc_packages` (one client file sent in for a mortgage,
 * its checklist, borrowers, the date it is checked against, its state — see
 * `src/autonomy/document-qc/README.md`), `docqc_documents` (documents split out of its files,
 * type and key fields), `docqc_pages` (each page's text and how it was read), `docqc_exceptions`
 * (one per problem found, keyed so a re-check keeps a waiver; status open / resolved / waived /
 * requested with the note and, for a request, the signal whose run drafts the email; `seq`: the
 * order they were found in).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table docqc_packages (
  id text primary key,
  tenant_id text not null references tenants(id),
  name text not null,
  checklist_id text not null,
  borrowers jsonb not null default '[]',
  client_email text,
  as_of text not null check (as_of ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  status text not null default 'received' check (status in ('received', 'read', 'checked', 'exceptions_open', 'ready', 'submitted')),
  first_check_clean boolean,
  created_by text not null,
  created_at timestamptz not null default now(),
  checked_at timestamptz,
  submitted_at timestamptz
);
create index docqc_packages_tenant_created on docqc_packages (tenant_id, created_at desc);
create table docqc_documents (
  id text primary key,
  tenant_id text not null references tenants(id),
  package_id text not null references docqc_packages(id) on delete cascade,
  file text not null,
  pages integer[] not null,
  type text not null,
  blank boolean not null,
  signed boolean,
  fields jsonb not null default '{}',
  source text not null
);
create index docqc_documents_package on docqc_documents (package_id);
create table docqc_pages (
  tenant_id text not null references tenants(id),
  package_id text not null references docqc_packages(id) on delete cascade,
  file text not null,
  page integer not null,
  source text not null check (source in ('text', 'ocr', 'none')),
  ocr_confidence real,
  problem text,
  text text not null,
  primary key (package_id, file, page)
);
create table docqc_exceptions (
  id text primary key,
  seq bigint generated always as identity,
  tenant_id text not null references tenants(id),
  package_id text not null references docqc_packages(id) on delete cascade,
  key text not null,
  kind text not null,
  item text,
  message text not null,
  evidence jsonb not null default '[]',
  status text not null default 'open' check (status in ('open', 'resolved', 'waived', 'requested')),
  note text,
  signal_id text,
  decided_by text,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  unique (package_id, key)
);
create index docqc_exceptions_open on docqc_exceptions (tenant_id, package_id) where status in ('open', 'requested');
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
