import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/db.js';
import { makeExcerpt } from './excerpt.js';
import { prepareQuery, type PreparedQuery } from './query.js';
import { searchConfig } from './text.js';
import type { KnowledgeKind, KnowledgeLanguage, SearchConfig, SearchHit } from './types.js';

/** Options of {@link searchKnowledge}. */
export interface SearchOptions {
  /** Only chunks of these kinds. */
  kinds?: KnowledgeKind[];
  /** Never chunks of these kinds (applied after `kinds`). */
  excludeKinds?: KnowledgeKind[];
  /** Only chunks for this audience or for everyone (chunks without an audience). */
  audience?: string;
  /** Hits to return, 1..50 (default 5). */
  limit?: number;
  /** Language of the query; detected from its words when omitted. */
  language?: KnowledgeLanguage;
  /** Instant used to leave out expired chunks (default: now). */
  now?: Date;
  /** Include chunks past their `valid_until` (default false). */
  includeExpired?: boolean;
}

/** A chunk row as retrieved, before it becomes a public {@link SearchHit}. */
export interface ChunkRow {
  id: string;
  file: string;
  title: string;
  heading_path: string;
  body: string;
  kind: KnowledgeKind;
  language: SearchConfig;
  score: number;
  /** Lexemes of the chunk's tsvector (only when requested). */
  lexemes?: string[];
}

/** Weights of tsvector classes D, C, B, A: body C = 0.2, heading path B = 0.4, title A = 1. */
const WEIGHTS = '{0.1,0.2,0.4,1.0}';
/** Normalisation 1: rank / (1 + log(length)), so long chunks do not win by size alone. */
const NORMALIZATION = 1;
/** Score multiplier for chunks in the other language than the question's. */
export const CROSS_LANGUAGE_FACTOR = 0.8;

/** SQL condition list for the filters shared by keyword and vector retrieval. */
export function chunkFilters(tenantId: string, opts: SearchOptions): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [sql`c.tenant_id = ${tenantId}`];
  if (opts.kinds?.length) where.push(sql`c.kind = any(${opts.kinds}::text[])`);
  if (opts.excludeKinds?.length) where.push(sql`c.kind <> all(${opts.excludeKinds}::text[])`);
  if (opts.audience) where.push(sql`(c.audience is null or c.audience = ${opts.audience})`);
  if (!opts.includeExpired) {
    const now = (opts.now ?? new Date()).toISOString();
    where.push(sql`(c.valid_until is null or c.valid_until >= (select (${now}::timestamptz at time zone t.time_zone)::date from tenants t where t.id = ${tenantId}))`);
  }
  return where;
}

/**
 * Keyword retrieval: `websearch_to_tsquery` in both text search configurations, each chunk
 * matched and ranked (ts_rank_cd) with its own language's query; chunks in the question's
 * language are preferred. Internal: returns rows with bodies.
 */
export async function searchChunks(db: Db, tenantId: string, pq: PreparedQuery, opts: SearchOptions & { withLexemes?: boolean } = {}): Promise<ChunkRow[]> {
  if (!pq.websearch.trim()) return [];
  const limit = Math.min(Math.max(opts.limit ?? 5, 1), 200);
  const qcfg = searchConfig(pq.language);
  const qe = sql`websearch_to_tsquery('english', ${pq.websearch})`;
  const qf = sql`websearch_to_tsquery('french', ${pq.websearch})`;
  const where = chunkFilters(tenantId, opts);
  where.push(sql`((c.language = 'english'::regconfig and c.tsv @@ ${qe}) or (c.language = 'french'::regconfig and c.tsv @@ ${qf}))`);
  const lexemes = opts.withLexemes ? sql`, tsvector_to_array(c.tsv) as lexemes` : sql``;
  const rows = await sql<ChunkRow>`
    select c.id, c.file, c.title, c.heading_path, c.body, c.kind, c.language::text as language,
           ts_rank_cd(${WEIGHTS}::float4[], c.tsv, case when c.language = 'french'::regconfig then ${qf} else ${qe} end, ${NORMALIZATION})
             * case when c.language = ${qcfg}::regconfig then 1.0 else ${CROSS_LANGUAGE_FACTOR} end as score
           ${lexemes}
      from knowledge_chunks c
     where ${sql.join(where, sql` and `)}
     order by score desc, c.id
     limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({ ...r, score: Number(r.score) }));
}

/**
 * Searches a tenant's knowledge. Natural questions are matched on any of their content words
 * (plus generic business synonyms) and ranked by cover density, so chunks covering more of the
 * question rank higher; text with search syntax ("exact phrase", -word, OR) is used as written.
 * Expired chunks are left out unless `includeExpired`.
 * @returns at most `limit` hits, best first; `[]` when the question has no searchable word
 */
export async function searchKnowledge(db: Db, tenantId: string, query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
  const pq = prepareQuery(query, opts.language);
  const rows = await searchChunks(db, tenantId, pq, opts);
  return rows.map((r) => toHit(r, pq));
}

/** Public shape of a retrieved chunk. */
export function toHit(r: ChunkRow, pq: PreparedQuery): SearchHit {
  return {
    chunkId: r.id,
    file: r.file,
    headingPath: r.heading_path,
    kind: r.kind,
    excerpt: makeExcerpt(r.body, pq.concepts.length ? pq.concepts : pq.websearch.split(/\s+/).map((w) => [w])),
    score: Math.round(r.score * 1e6) / 1e6,
    language: r.language,
  };
}
