import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/db.js';
import { makeExcerpt } from './excerpt.js';
import { prepareQuery, type PreparedQuery } from './query.js';
import { searchConfig } from './text.js';
import { termStats, type TermStats } from './term-stats.js';
import { conceptWeights } from './weights.js';
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
  keywords: string;
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
/** Rows examined per retrieval stage. Bounds latency on very large tenants (see README): scoring costs ~20–40 µs per candidate. */
export const STAGE_CAP = 100;
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

type Q = { en: RawBuilder<unknown> | null; fr: RawBuilder<unknown> | null };

/**
 * French stems vary with the ending (évier → évi, éviers → évier; déboucher → débouch,
 * débouchons → débouchon): French lexemes of three letters or more are matched as prefixes.
 */
function conceptQuery(text: string, langs: Set<SearchConfig>, strict: boolean): Q {
  const fr = sql`websearch_to_tsquery('french', ${text})`;
  return {
    en: langs.has('english') ? sql`websearch_to_tsquery('english', ${text})` : null,
    fr: langs.has('french') ? (strict ? fr : sql`regexp_replace((${fr})::text, '''([^'' ]{3,})''', '''\\1'':*', 'g')::tsquery`) : null,
  };
}
function combine(qs: Q[], op: '&&' | '||'): Q {
  const j = (k: 'en' | 'fr') => (qs[0]?.[k] ? sql`(${sql.join(qs.map((q) => q[k]!), sql.raw(` ${op} `))})` : null);
  return { en: j('en'), fr: j('fr') };
}
/** `tsv @@ query` with each chunk's own language; a language the tenant lacks is left out of the plan. */
function matches(q: Q, tsv: RawBuilder<unknown> = sql`c.tsv`): RawBuilder<unknown> {
  const arms: RawBuilder<unknown>[] = [];
  if (q.en) arms.push(sql`(c.language = 'english'::regconfig and ${tsv} @@ ${q.en})`);
  if (q.fr) arms.push(sql`(c.language = 'french'::regconfig and ${tsv} @@ ${q.fr})`);
  return arms.length === 1 ? arms[0]! : sql`(${sql.join(arms, sql` or `)})`;
}

/** One `websearch_to_tsquery` input per concept: its alternatives joined with `or` (phrases quoted). */
export function conceptTexts(pq: PreparedQuery): string[] {
  if (pq.strict) return [pq.websearch];
  return pq.concepts.map((alts) => alts.map((a) => (/[\s-]/.test(a) ? `"${a.replace(/-/g, ' ')}"` : a)).join(' or '));
}

/**
 * Keyword retrieval in stages, each on the GIN index and examining at most {@link STAGE_CAP}
 * rows: (1) chunks mentioning every concept of the question; only when that gives fewer than
 * `limit`, (2) chunks missing one concept and (3) chunks mentioning any concept. Candidates are
 * scored by concept coverage (title/keywords/headings 1, body {@link BODY_ONLY}) plus a share of
 * ts_rank_cd cover density; chunks in the other language are multiplied by
 * {@link CROSS_LANGUAGE_FACTOR}. Internal: returns rows with bodies.
 */
export async function searchChunks(db: Db, tenantId: string, pq: PreparedQuery, opts: SearchOptions = {}, known?: TermStats): Promise<ChunkRow[]> {
  if (!pq.websearch.trim()) return [];
  const limit = Math.min(Math.max(opts.limit ?? 5, 1), 50);
  const texts = conceptTexts(pq);
  const stats = known ?? (await termStats(db, tenantId, texts));
  const langs = stats.langs;
  const weights = pq.strict ? [1] : conceptWeights(pq.concepts, stats);
  const totalWeight = weights.reduce((a, b) => a + b, 0) || 1;
  const qs = texts.map((t) => conceptQuery(t, langs, pq.strict));
  const all = combine(qs, '&&');
  const any = combine(qs, '||');
  const filters = sql.join(chunkFilters(tenantId, opts), sql` and `);
  const n = qs.length;
  const nMinus1 =
    n >= 3 && n <= MAX_COMBINED ? combine(qs.map((_, skip) => combine(qs.filter((__, i) => i !== skip), '&&')), '||') : null;
  const s2 = nMinus1
    ? sql`, s2 as materialized (select c.id from knowledge_chunks c where (select count(*) from s1) < ${limit} and ${filters} and ${matches(nMinus1)} limit ${STAGE_CAP})`
    : sql`, s2 as materialized (select null::text as id where false)`;
  // Stage 3 looks first at the rarest concepts only, as many as fit in STAGE_CAP chunks together:
  // that candidate set is complete (not an arbitrary cut), and a chunk without any rare concept
  // rarely outranks one with them. Stage 4, every concept, runs only if that is still too few.
  const rare: number[] = [];
  let rareDf = 0;
  for (const i of weights.map((_, i) => i).sort((a, b) => weights[b]! - weights[a]!)) {
    const d = stats.df[i] ?? 0;
    if (rare.length > 0 && rareDf + d > STAGE_CAP) break;
    rare.push(i);
    rareDf += d;
  }
  const found = (ctes: string[]) => sql.raw(`(select count(*) from (${ctes.map((c) => `select id from ${c}`).join(' union ')}) u)`);
  const s3 =
    n >= 2
      ? sql`, s3 as materialized (select c.id from knowledge_chunks c where ${found(['s1', 's2'])} < ${limit} and ${filters} and ${matches(combine(rare.map((i) => qs[i]!), '||'))} limit ${STAGE_CAP})`
      : sql`, s3 as (select null::text as id where false)`;
  const s4 =
    n >= 2 && rare.length < n
      ? sql`, s4 as (select c.id from knowledge_chunks c where ${found(['s1', 's2', 's3'])} < ${limit} and ${filters} and ${matches(any)} limit ${STAGE_CAP})`
      : sql`, s4 as (select null::text as id where false)`;
  // Per concept: mentioned anywhere (m) and in title/keywords/headings (hd, weight-restricted query).
  const head = (q: RawBuilder<unknown>) =>
    sql`regexp_replace(regexp_replace((${q})::text, ''':\\*( |$)', ''':*AB\\1', 'g'), '''( |$)', ''':AB\\1', 'g')::tsquery`;
  const mArr = sql.join(qs.map((q) => matches(q, sql`h.v`)), sql`, `);
  const hdArr = sql.join(qs.map((q) => matches({ en: q.en && head(q.en), fr: q.fr && head(q.fr) }, sql`h.v`)), sql`, `);
  const coverage = sql.join(
    qs.map((_, i) => sql`case when mm.hd[${sql.lit(i + 1)}] then ${sql.lit(weights[i]! / totalWeight)} when mm.m[${sql.lit(i + 1)}] then ${sql.lit((BODY_ONLY * weights[i]!) / totalWeight)} else 0 end`),
    sql` + `,
  );
  const cross = sql`case when c.language = ${searchConfig(pq.language)}::regconfig then 1.0 else ${sql.lit(CROSS_LANGUAGE_FACTOR)} end`;
  // The tsvector is decompressed once per candidate (lateral, not flattened thanks to OFFSET 0);
  // bodies are read only for the `limit` winners.
  const query = sql<ChunkRow>`
    with s1 as materialized (select c.id from knowledge_chunks c where ${filters} and ${matches(all)} limit ${STAGE_CAP})
    ${s2} ${s3} ${s4},
    cand as (select id from s1 union select id from s2 union select id from s3 union select id from s4),
    scored as (
      select c.id, mm.m as matched,
             ((1 - ${sql.lit(DENSITY_SHARE)}) * (${coverage})
               + ${sql.lit(DENSITY_SHARE)} * ts_rank_cd(${WEIGHTS}::float4[], h.v, ${any.en && any.fr ? sql`case when c.language = 'french'::regconfig then ${any.fr} else ${any.en} end` : (any.en ?? any.fr)!}, 1 | 32)
             ) * ${cross} as score
        from cand join knowledge_chunks c on c.id = cand.id
        cross join lateral (select c.tsv || ''::tsvector as v offset 0) h
        cross join lateral (select array[${mArr}] as m, array[${hdArr}] as hd offset 0) mm
       order by score desc, c.id
       limit ${limit})
    select c.id, c.file, c.title, c.heading_path, c.keywords, c.body, c.kind, c.language::text as language, s.score, s.matched
      from scored s join knowledge_chunks c on c.id = s.id
     order by s.score desc, s.id`;
  const rows = await query.execute(db);
  return rows.rows.map((r) => ({ ...r, score: Number(r.score) }));
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
