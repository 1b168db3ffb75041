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
  /** Final score (see {@link searchKnowledge}). */
  score: number;
  /** Per concept of the query: does the chunk mention it? (natural queries only) */
  matched: boolean[];
}

/** Weights of tsvector classes D, C, B, A: body C = 0.2, heading path B = 0.4, title and keywords A = 1. */
const WEIGHTS = '{0.1,0.2,0.4,1.0}';
/** Rows examined per retrieval stage. Bounds latency on very large tenants (see README). */
export const STAGE_CAP = 200;
/** Score multiplier for chunks in the other language than the question's. */
export const CROSS_LANGUAGE_FACTOR = 0.8;
/** A concept found only in the body counts this much; in title, keywords or headings it counts 1. */
const BODY_ONLY = 0.6;
/** Share of the score that comes from cover density (ts_rank_cd) rather than coverage. */
const DENSITY_SHARE = 0.25;
/** Concepts beyond this many are still searched (OR) but not combined into the n-1 stage. */
const MAX_COMBINED = 8;

/** SQL conditions for the filters shared by keyword and vector retrieval. */
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

type Q = { en: RawBuilder<unknown>; fr: RawBuilder<unknown> };

function conceptQuery(text: string): Q {
  return { en: sql`websearch_to_tsquery('english', ${text})`, fr: sql`websearch_to_tsquery('french', ${text})` };
}
function combine(qs: Q[], op: '&&' | '||'): Q {
  const j = (k: 'en' | 'fr') => sql`(${sql.join(qs.map((q) => q[k]), sql.raw(` ${op} `))})`;
  return { en: j('en'), fr: j('fr') };
}
function matches(q: Q, tsv: RawBuilder<unknown> = sql`c.tsv`): RawBuilder<unknown> {
  return sql`((c.language = 'english'::regconfig and ${tsv} @@ ${q.en}) or (c.language = 'french'::regconfig and ${tsv} @@ ${q.fr}))`;
}

/**
 * Keyword retrieval in stages, each on the GIN index and examining at most {@link STAGE_CAP}
 * rows: (1) chunks mentioning every concept of the question; only when that gives fewer than
 * `limit`, (2) chunks missing one concept and (3) chunks mentioning any concept. Candidates are
 * scored by concept coverage (title/keywords/headings 1, body {@link BODY_ONLY}) plus a share of
 * ts_rank_cd cover density; chunks in the other language are multiplied by
 * {@link CROSS_LANGUAGE_FACTOR}. Internal: returns rows with bodies.
 */
export async function searchChunks(db: Db, tenantId: string, pq: PreparedQuery, opts: SearchOptions = {}): Promise<ChunkRow[]> {
  if (!pq.websearch.trim()) return [];
  const limit = Math.min(Math.max(opts.limit ?? 5, 1), 50);
  const texts = pq.strict ? [pq.websearch] : pq.concepts.map((alts) => alts.map((a) => (/[\s-]/.test(a) ? `"${a.replace(/-/g, ' ')}"` : a)).join(' or '));
  const qs = texts.map(conceptQuery);
  const all = combine(qs, '&&');
  const any = combine(qs, '||');
  const filters = sql.join(chunkFilters(tenantId, opts), sql` and `);
  const n = qs.length;
  const nMinus1 =
    n >= 3 && n <= MAX_COMBINED ? combine(qs.map((_, skip) => combine(qs.filter((__, i) => i !== skip), '&&')), '||') : null;
  const stage2 = nMinus1
    ? sql`union select c.id from (select c.id from knowledge_chunks c where (select count(*) from s1) < ${limit} and ${filters} and ${matches(nMinus1)} limit ${STAGE_CAP}) c`
    : sql``;
  const stage3 =
    n >= 2 ? sql`union select c.id from (select c.id from knowledge_chunks c where (select count(*) from s1) < ${limit} and ${filters} and ${matches(any)} limit ${STAGE_CAP}) c` : sql``;
  const qcfg = searchConfig(pq.language);
  const coverage = sql.join(
    qs.map((q) => sql`case when ${matches(q, sql`h.head`)} then 1.0 when ${matches(q)} then ${BODY_ONLY} else 0 end`),
    sql` + `,
  );
  const matchedArr = sql.join(qs.map((q) => matches(q)), sql`, `);
  if (process.env.KN_EXPLAIN) {
    const ex = await sql<Record<string, string>>`explain (analyze, buffers)
    with s1 as materialized (select c.id from knowledge_chunks c where ${filters} and ${matches(all)} limit ${STAGE_CAP}),
    cand as (select id from s1 ${stage2} ${stage3})
    select c.id, (${coverage}) / ${n}::float8 as coverage,
           ts_rank_cd(${WEIGHTS}::float4[], c.tsv, case when c.language = 'french'::regconfig then ${any.fr} else ${any.en} end, 1 | 32) as density,
           array[${matchedArr}] as matched
      from cand join knowledge_chunks c on c.id = cand.id
      cross join lateral (select ts_filter(c.tsv, '{a,b}') as head) h`.execute(db);
    console.log(ex.rows.map((r) => r['QUERY PLAN']).join('\n'));
  }
  const rows = await sql<Omit<ChunkRow, 'score'> & { coverage: number; density: number }>`
    with s1 as materialized (select c.id from knowledge_chunks c where ${filters} and ${matches(all)} limit ${STAGE_CAP}),
    cand as (select id from s1 ${stage2} ${stage3})
    select c.id, c.file, c.title, c.heading_path, c.body, c.kind, c.language::text as language,
           (${coverage}) / ${n}::float8 as coverage,
           ts_rank_cd(${WEIGHTS}::float4[], c.tsv, case when c.language = 'french'::regconfig then ${any.fr} else ${any.en} end, 1 | 32) as density,
           array[${matchedArr}] as matched
      from cand join knowledge_chunks c on c.id = cand.id
      cross join lateral (select ts_filter(c.tsv, '{a,b}') as head) h`.execute(db);
  const scored = rows.rows.map((r) => {
    const base = (1 - DENSITY_SHARE) * Number(r.coverage) + DENSITY_SHARE * Number(r.density);
    const score = base * (r.language === qcfg ? 1 : CROSS_LANGUAGE_FACTOR);
    return { id: r.id, file: r.file, title: r.title, heading_path: r.heading_path, body: r.body, kind: r.kind, language: r.language, matched: r.matched, score };
  });
  scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return scored.slice(0, limit);
}

/**
 * Searches a tenant's knowledge.
 *
 * A natural question is reduced to concepts (content words, each with generic business synonyms,
 * English and French stop words dropped, accents folded); chunks are found with
 * `websearch_to_tsquery` in their own language's configuration and ranked by how many concepts
 * they cover, then by cover density. Text with search syntax ("exact phrase", -word, OR) is used
 * as written. Expired chunks are left out unless `includeExpired`.
 * @returns at most `limit` hits, best first; `score` is 0..1 (coverage 75%, density 25%, ×0.8 for
 *   the other language); `[]` when the question has no searchable word
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
    score: Math.round(r.score * 1e4) / 1e4,
    language: r.language,
  };
}
