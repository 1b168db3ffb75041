import { sql } from 'kysely';
import type { Db } from '../../src/store/db.js';
import { searchKnowledge, type SearchOptions } from '../../src/knowledge/search.js';
import { refreshTermStats } from '../../src/knowledge/term-stats.js';
import { insertSyntheticChunks, makeCorpus, type Corpus } from './synthetic.js';
import { percentile, printTable } from './table.js';

const QUERIES = 200;

async function ensureTenant(db: Db, id: string): Promise<void> {
  await db.insertInto('tenants').values({ id, slug: id, name: id, time_zone: 'America/Toronto', phone: null }).onConflict((oc) => oc.doNothing()).execute();
}

async function chunkCount(db: Db, tenantId: string): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from knowledge_chunks where tenant_id = ${tenantId}`.execute(db);
  return Number(r.rows[0]!.n);
}

/** Queries whose words all come from one stored chunk (the answer exists), 2–4 words. */
async function answerableQueries(db: Db, tenantId: string, corpus: Corpus, n: number): Promise<string[]> {
  const rank = new Map(corpus.vocab.map((w, i) => [w, i]));
  const rows = await sql<{ body: string }>`select body from knowledge_chunks where tenant_id = ${tenantId} order by md5(id) limit ${n}`.execute(db);
  return rows.rows.map((r, i) => {
    const words = [...new Set(r.body.split(' '))].filter((w) => (rank.get(w) ?? 0) >= 30);
    const k = 2 + (i % 3);
    const start = (i * 13) % Math.max(1, words.length - k);
    return words.slice(start, start + k).join(' ');
  });
}

async function measure(db: Db, tenantId: string, queries: string[], opts: SearchOptions): Promise<{ p50: number; p95: number; hits: number }> {
  for (const q of queries.slice(0, 20)) await searchKnowledge(db, tenantId, q, opts); // warm caches
  const times: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const t0 = performance.now();
    hits += (await searchKnowledge(db, tenantId, q, opts)).length;
    times.push(performance.now() - t0);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), hits: hits / queries.length };
}

/**
 * Keyword query latency at 10k and 100k synthetic chunks in one tenant, unfiltered and filtered
 * by kind + audience, for queries whose answer exists (words from one chunk) and for random
 * mid-frequency words.
 */
export async function benchLatency(db: Db, sizes = [10_000, 100_000]): Promise<void> {
  const rows: (string | number)[][] = [];
  // One tenant grows from the smallest size to the largest: the worst case for per-tenant search
  // (all chunks in one tenant), and the database holds nothing else.
  const tenantId = 'bench_latency';
  await ensureTenant(db, tenantId);
  const corpus = makeCorpus(42);
  for (const size of [...sizes].sort((a, b) => a - b)) {
    const have = await chunkCount(db, tenantId);
    if (have < size) {
      process.stderr.write(`generating ${size - have} synthetic chunks for ${tenantId}…\n`);
      const ms = await insertSyntheticChunks(db, tenantId, size - have, corpus, have);
      process.stderr.write(`  ${(ms / 1000).toFixed(0)} s (${(((size - have) / ms) * 1000).toFixed(0)} chunks/s, tsvector generated + GIN)\n`);
      const t0 = performance.now();
      await refreshTermStats(db, tenantId);
      process.stderr.write(`  term statistics rebuilt in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    const sets: [string, string[]][] = [
      ['answerable', await answerableQueries(db, tenantId, corpus, QUERIES)],
      ['random words', Array.from({ length: QUERIES }, () => corpus.query())],
    ];
    for (const [name, queries] of sets) {
      const un = await measure(db, tenantId, queries, { limit: 5 });
      const fi = await measure(db, tenantId, queries, { limit: 5, kinds: ['faq'], audience: 'customers' });
      rows.push([size, name, un.p50, un.p95, fi.p50, fi.p95, fi.p95 / un.p95, un.hits]);
    }
  }
  printTable(
    'Keyword query latency (ms, searchKnowledge, limit 5, 200 queries each, after 20 warm-up queries)',
    ['chunks', 'queries', 'p50', 'p95', 'filtered p50', 'filtered p95', 'filtered/unfiltered p95', 'hits/query'],
    rows,
    'filtered = kinds [faq] + audience customers (≈13% of chunks). Targets: p95 ≤ 10 ms at 100k; filtered ≤ 2× unfiltered.',
  );
}
