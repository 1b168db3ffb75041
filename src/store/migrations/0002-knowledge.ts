import { sql, type Kysely } from 'kysely';

/**
 * Accent folding used by the generated `tsv` column. `translate()` is immutable, so it may appear
 * in a generated column, and it needs no extension (unaccent is not on every managed PostgreSQL).
 * `src/knowledge/text.ts` folds queries with the same table; a test checks they agree.
 */
export const FOLD_FROM = 'ÀÂÄÁÃÉÈÊËÍÎÏÓÔÖÕÚÙÛÜÇÑŸàâäáãéèêëíîïóôöõúùûüçñÿ';
export const FOLD_TO = 'AAAAAEEEEIIIOOOOUUUUCNYaaaaaeeeeiiioooouuuucny';

function folded(col: string): string {
  return `translate(${col}, '${FOLD_FROM}', '${FOLD_TO}')`;
}

/**
 * The knowledge layer (DESIGN §4): indexed documents, their chunks (weighted tsvector, A title and
 * the owner's keywords, B heading path, C body, per-chunk text search configuration), structured facts, and the gaps
 * ("I don't know") that become questions for the owner.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
create table knowledge_documents (
  id text primary key,
  tenant_id text not null references tenants(id),
  path text not null,
  content_hash text not null,
  size_bytes bigint not null,
  format text not null,
  kind text,
  title text,
  language text,
  audience text,
  valid_until date,
  status text not null check (status in ('indexed','failed')),
  error text,
  parser_version int not null default 0,
  chunk_count int not null default 0,
  fact_count int not null default 0,
  indexed_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  unique (tenant_id, path)
);
create index knowledge_documents_hash on knowledge_documents(tenant_id, content_hash);

create table knowledge_chunks (
  id text primary key,
  tenant_id text not null references tenants(id),
  document_id text not null references knowledge_documents(id) on delete cascade,
  seq int not null,
  file text not null,
  title text not null,
  heading_path text not null,
  keywords text not null default '',
  body text not null,
  kind text not null,
  audience text,
  language regconfig not null,
  valid_until date,
  word_count int not null,
  embedding real[],
  tsv tsvector generated always as (
    setweight(to_tsvector(language, ${folded("title || ' ' || keywords")}), 'A') ||
    setweight(to_tsvector(language, ${folded('heading_path')}), 'B') ||
    setweight(to_tsvector(language, ${folded('body')}), 'C')
  ) stored
);
create index knowledge_chunks_tsv on knowledge_chunks using gin (tsv);
create index knowledge_chunks_tenant_kind on knowledge_chunks(tenant_id, kind);
create index knowledge_chunks_tenant_language on knowledge_chunks(tenant_id, language);
create index knowledge_chunks_document on knowledge_chunks(document_id, seq);

-- Per-tenant document frequency of each lexeme (chunks containing it), kept in step with the
-- chunks by the indexer; lexeme '' holds the tenant's chunk count per configuration. Search and
-- answer confidence weigh a question's words by rarity (IDF) from it.
create table knowledge_terms (
  tenant_id text not null references tenants(id),
  config regconfig not null,
  lexeme text not null,
  df int not null,
  primary key (tenant_id, config, lexeme)
);

create table knowledge_facts (
  id text primary key,
  tenant_id text not null references tenants(id),
  document_id text not null references knowledge_documents(id) on delete cascade,
  file text not null,
  type text not null,
  key text not null,
  value text not null,
  service text,
  amount_cents bigint,
  currency text,
  unit text,
  valid_until date,
  created_at timestamptz not null default now()
);
create index knowledge_facts_tenant_type on knowledge_facts(tenant_id, type);
create index knowledge_facts_amount on knowledge_facts(tenant_id, amount_cents) where amount_cents is not null;

create table knowledge_gaps (
  id text primary key,
  tenant_id text not null references tenants(id),
  question text not null,
  normalized text not null,
  language text not null default 'en',
  status text not null default 'open' check (status in ('open','answered')),
  occurrences int not null default 1,
  created_at timestamptz not null default now(),
  last_asked_at timestamptz not null default now(),
  answered_at timestamptz,
  answer_file text
);
create index knowledge_gaps_tenant_status on knowledge_gaps(tenant_id, status, last_asked_at desc);
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
