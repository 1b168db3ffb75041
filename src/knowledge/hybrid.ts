import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { InputError } from '../core/errors.js';
import { prepareQuery } from './query.js';
import { chunkFilters, searchChunks, toHit, type ChunkRow, type SearchOptions } from './search.js';
import type { SearchHit } from './types.js';

/** Reciprocal rank fusion constant: score = Σ 1 / (RRF_K + rank), rank starting at 1. */
export const RRF_K = 60;

/** Turns texts into embedding vectors (same length for all). */
export type EmbedFn = (texts: string[]) => Promise<number[][]>;

/**
 * Fills the `embedding` of the tenant's chunks that have none (new or changed since the last
 * call), `batch` texts per call of `embed`. Text embedded: title, heading path and body.
 * @returns the number of chunks embedded
 */
export async function embedChunks(db: Db, tenantId: string, embed: EmbedFn, opts: { batch?: number } = {}): Promise<number> {
  const batch = opts.batch ?? 64;
  let done = 0;
  for (;;) {
    const rows = await db
      .selectFrom('knowledge_chunks')
      .select(['id', 'title', 'heading_path', 'body'])
      .where('tenant_id', '=', tenantId)
      .where('embedding', 'is', null)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return done;
    const vectors = await embed(rows.map((r) => `${r.title}\n${r.heading_path}\n${r.body}`));
    if (vectors.length !== rows.length) throw new InputError(`embed returned ${vectors.length} vectors for ${rows.length} texts`, { fix: 'Return one vector per input text.' });
    for (let i = 0; i < rows.length; i++) {
      await db.updateTable('knowledge_chunks').set({ embedding: vectors[i]! }).where('id', '=', rows[i]!.id).execute();
    }
    done += rows.length;
  }
}

/**
 * Chunks ranked by cosine similarity to `vector`, computed in SQL over the tenant's chunks that
 * have an embedding (a full scan of the tenant's candidates: fine for thousands of chunks; there is
 * no approximate index without pgvector).
 */
async function vectorRank(db: Db, tenantId: string, vector: number[], opts: SearchOptions, limit: number): Promise<ChunkRow[]> {
  const where = sql.join([...chunkFilters(tenantId, opts), sql`c.embedding is not null`], sql` and `);
  const rows = await sql<ChunkRow>`
    select c.id, c.file, c.title, c.heading_path, c.keywords, c.body, c.kind, c.language::text as language, v.cos as score, array[]::boolean[] as matched
      from knowledge_chunks c
      cross join lateral (
        select sum(a * b) / nullif(sqrt(sum(a * a)) * sqrt(sum(b * b)), 0) as cos
          from unnest(c.embedding, ${vector}::real[]) as t(a, b)) v
     where ${where}
     order by v.cos desc nulls last, c.id
     limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({ ...r, score: Number(r.score) }));
}

/**
 * Keyword and vector retrieval fused with reciprocal rank fusion (k = {@link RRF_K}): each list
 * contributes 1 / (60 + rank) for every chunk it returns. Without embeddings in the index this is
 * keyword search with RRF scores. `embedQuery` embeds the query with the same model as
 * {@link embedChunks}.
 * @returns at most `limit` hits; `score` is the fused RRF score (max 2/61 ≈ 0.033)
 */
export async function hybridSearch(
  db: Db,
  tenantId: string,
  query: string,
  embedQuery: (text: string) => Promise<number[]>,
  opts: SearchOptions & { candidates?: number } = {},
): Promise<SearchHit[]> {
  const limit = Math.min(Math.max(opts.limit ?? 5, 1), 50);
  const candidates = opts.candidates ?? 50;
  const pq = prepareQuery(query, opts.language);
  const [keyword, vector] = await Promise.all([
    searchChunks(db, tenantId, pq, { ...opts, limit: Math.min(candidates, 50) }),
    embedQuery(query).then((v) => vectorRank(db, tenantId, v, opts, candidates)),
  ]);
  const fused = new Map<string, { row: ChunkRow; score: number }>();
  for (const list of [keyword, vector]) {
    list.forEach((row, i) => {
      const e = fused.get(row.id) ?? { row, score: 0 };
      e.score += 1 / (RRF_K + i + 1);
      fused.set(row.id, e);
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || (a.row.id < b.row.id ? -1 : 1))
    .slice(0, limit)
    .map(({ row, score }) => toHit({ ...row, score }, pq));
}
