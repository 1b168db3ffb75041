import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { Db } from '../store/db.js';
import type { SearchConfig } from './types.js';

type Conn = Kysely<Database>;

/** Lexeme document frequencies of the chunks of `docIds`, plus the chunk count under lexeme ''. */
function docTerms(tenantId: string, docIds: string[]) {
  return sql`
    select c.language as config, x.lexeme, count(*)::int as n
      from knowledge_chunks c cross join lateral unnest(tsvector_to_array(c.tsv)) as x(lexeme)
     where c.tenant_id = ${tenantId} and c.document_id = any(${docIds}::text[])
     group by 1, 2
    union all
    select c.language, '', count(*)::int from knowledge_chunks c
     where c.tenant_id = ${tenantId} and c.document_id = any(${docIds}::text[]) group by 1`;
}

/**
 * Serialises term-statistics updates of one tenant until the caller's transaction ends (documents
 * are written concurrently; their shared lexeme rows would otherwise deadlock).
 */
async function lockTerms(db: Conn, tenantId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${'aios.knowledge.terms:' + tenantId}))`.execute(db);
}

/** Adds the chunks of `docIds` (already inserted) to the tenant's term statistics. Call inside a transaction. */
export async function addTermStats(db: Conn, tenantId: string, docIds: string[]): Promise<void> {
  if (docIds.length === 0) return;
  await lockTerms(db, tenantId);
  await sql`
    insert into knowledge_terms (tenant_id, config, lexeme, df)
    select ${tenantId}, d.config, d.lexeme, d.n from (${docTerms(tenantId, docIds)}) d
    on conflict (tenant_id, config, lexeme) do update set df = knowledge_terms.df + excluded.df`.execute(db);
}

/** Removes the chunks of `docIds` (before they are deleted) from the tenant's term statistics. Call inside a transaction. */
export async function removeTermStats(db: Conn, tenantId: string, docIds: string[]): Promise<void> {
  if (docIds.length === 0) return;
  await lockTerms(db, tenantId);
  await sql`
    update knowledge_terms t set df = greatest(t.df - d.n, 0)
      from (${docTerms(tenantId, docIds)}) d
     where t.tenant_id = ${tenantId} and t.config = d.config and t.lexeme = d.lexeme`.execute(db);
}

/**
 * Rebuilds a tenant's term statistics from its chunks. Needed only when chunks were written
 * without the indexer (bulk loads, benchmarks); the indexer keeps them current.
 */
export async function refreshTermStats(db: Db, tenantId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockTerms(trx, tenantId);
    await trx.deleteFrom('knowledge_terms').where('tenant_id', '=', tenantId).execute();
    await sql`
      insert into knowledge_terms (tenant_id, config, lexeme, df)
      select ${tenantId}, c.language, x.lexeme, count(*)
        from knowledge_chunks c cross join lateral unnest(tsvector_to_array(c.tsv)) as x(lexeme)
       where c.tenant_id = ${tenantId} group by 1, 2, 3
      union all
      select ${tenantId}, c.language, '', count(*) from knowledge_chunks c where c.tenant_id = ${tenantId} group by 1, 2, 3`.execute(trx);
  });
}

/** What a tenant's knowledge says about a question's concepts. */
export interface TermStats {
  /** Text search configurations present in the tenant's chunks (English when empty). */
  langs: Set<SearchConfig>;
  /** Number of chunks. */
  chunks: number;
  /** Per concept: chunks mentioning it (the largest count among its alternatives, summed over languages). */
  df: number[];
}

/** Looks up chunk counts and each concept's document frequency, in one round trip. */
export async function termStats(db: Db, tenantId: string, conceptTexts: string[]): Promise<TermStats> {
  const values = conceptTexts.length
    ? sql.join(conceptTexts.map((t, i) => sql`(${sql.lit(i)}, ${t})`), sql`, `)
    : sql`(-1, '')`;
  const rows = await sql<{ ci: number; config: string; df: number }>`
    with alts(ci, txt) as (values ${values}),
    lex as (
      select ci, 'english'::regconfig as cfg, unnest(tsvector_to_array(to_tsvector('english', txt))) as lx from alts
      union all
      select ci, 'french'::regconfig, unnest(tsvector_to_array(to_tsvector('french', txt))) from alts)
    select l.ci, l.cfg::text as config, max(t.df)::int as df
      from lex l join knowledge_terms t on t.tenant_id = ${tenantId} and t.config = l.cfg and t.lexeme = l.lx
     group by 1, 2
    union all
    select -1, config::text, df from knowledge_terms where tenant_id = ${tenantId} and lexeme = ''`.execute(db);
  const langs = new Set<SearchConfig>();
  let chunks = 0;
  const df = conceptTexts.map(() => 0);
  for (const r of rows.rows) {
    if (r.ci === -1) {
      if (r.df > 0) langs.add(r.config as SearchConfig);
      chunks += r.df;
    } else df[r.ci] = (df[r.ci] ?? 0) + r.df;
  }
  if (langs.size === 0) langs.add('english');
  return { langs, chunks, df };
}

/** Inverse document frequency, ln(1 + N / (df + 1)): about 0 for a word in every chunk, ln(N+1) for an absent one. */
export function idf(stats: TermStats): number[] {
  return stats.df.map((d) => Math.log(1 + stats.chunks / (d + 1)));
}
