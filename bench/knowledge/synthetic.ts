/**
 * Synthetic knowledge for the latency benchmark: pseudo-English words with a Zipf distribution
 * (a few very common words, a long tail of rare ones), written straight into knowledge_chunks.
 * Deterministic for a given seed.
 */
import { sql } from 'kysely';
import type { Db } from '../../src/store/db.js';
import { KNOWLEDGE_KINDS } from '../../src/knowledge/types.js';

/** Mulberry32: small deterministic PRNG returning [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'br', 'cl', 'dr', 'fl', 'gr', 'pl', 'st', 'tr', 'sh', 'ch', 'th', 'sp'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'oo', 'ou', 'ie'];
const CODAS = ['', 'n', 'r', 's', 't', 'l', 'm', 'nd', 'st', 'rk', 'ng', 'x'];

/** `n` distinct pseudo-words of 2–3 syllables. */
export function makeVocabulary(n: number, rand: () => number): string[] {
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)]!;
  const words = new Set<string>();
  while (words.size < n) {
    const syll = 2 + Math.floor(rand() * 2);
    let w = '';
    for (let i = 0; i < syll; i++) w += pick(ONSETS) + pick(VOWELS) + (i === syll - 1 ? pick(CODAS) : '');
    words.add(w);
  }
  return [...words];
}

/** Samples ranks 0..n-1 with probability ∝ 1 / (rank + 1)^s (inverse CDF over a table). */
export function zipf(n: number, s: number, rand: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** A synthetic corpus generator. */
export interface Corpus {
  vocab: string[];
  text(words: number): string;
  /** A query of 2–4 mid-frequency words (ranks 30..3000), like a customer question's content words. */
  query(): string;
}

export function makeCorpus(seed = 42, vocabSize = 30_000): Corpus {
  const rand = prng(seed);
  const vocab = makeVocabulary(vocabSize, rand);
  const rank = zipf(vocabSize, 1.05, rand);
  const text = (words: number) => {
    const out: string[] = [];
    for (let i = 0; i < words; i++) out.push(vocab[rank()]!);
    return out.join(' ');
  };
  const query = () => {
    const n = 2 + Math.floor(rand() * 3);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(vocab[30 + Math.floor(Math.pow(rand(), 2) * 2970)]!);
    return out.join(' ');
  };
  return { vocab, text, query };
}

/**
 * Inserts `count` chunks (250 words each, 5 chunks per document) for `tenantId`, with kinds spread
 * over the seven kinds and audience null (70%), `customers` (20%) or `staff` (10%).
 * @returns elapsed milliseconds
 */
export async function insertSyntheticChunks(db: Db, tenantId: string, count: number, corpus: Corpus, startAt = 0): Promise<number> {
  const t0 = performance.now();
  const batch = 1000;
  for (let b = startAt; b < startAt + count; b += batch) {
    const n = Math.min(batch, startAt + count - b);
    const docIds: string[] = [];
    for (let i = b; i < b + n; i += 5) docIds.push(`kdoc_syn_${tenantId}_${i / 5}`);
    await sql`insert into knowledge_documents (id, tenant_id, path, content_hash, size_bytes, format, kind, title, language, status)
      select id, ${tenantId}, 'synthetic/' || id || '.md', id, 0, 'markdown', 'faq', id, 'en', 'indexed' from unnest(${docIds}::text[]) as id`.execute(db);
    const ids: string[] = [], docs: string[] = [], titles: string[] = [], heads: string[] = [], bodies: string[] = [], kinds: string[] = [], auds: (string | null)[] = [];
    for (let i = b; i < b + n; i++) {
      const title = corpus.text(4);
      ids.push(`kch_syn_${tenantId}_${i}`);
      docs.push(`kdoc_syn_${tenantId}_${Math.floor(i / 5)}`);
      titles.push(title);
      heads.push(`${title} > ${corpus.text(3)}`);
      bodies.push(corpus.text(250));
      kinds.push(KNOWLEDGE_KINDS[i % KNOWLEDGE_KINDS.length]!);
      const r = (i * 7919) % 10;
      auds.push(r < 7 ? null : r < 9 ? 'customers' : 'staff');
    }
    await sql`insert into knowledge_chunks (id, tenant_id, document_id, seq, file, title, heading_path, body, kind, audience, language, word_count)
      select id, ${tenantId}, doc, 0, 'synthetic/' || doc || '.md', title, head, body, kind, aud, 'english', 250
        from unnest(${ids}::text[], ${docs}::text[], ${titles}::text[], ${heads}::text[], ${bodies}::text[], ${kinds}::text[], ${auds}::text[])
          as u(id, doc, title, head, body, kind, aud)`.execute(db);
  }
  // Merge GIN's pending list (fastupdate) and refresh statistics, as autovacuum would after a bulk load.
  await sql`select gin_clean_pending_list('knowledge_chunks_tsv'::regclass)`.execute(db);
  await sql`vacuum analyze knowledge_chunks`.execute(db);
  return performance.now() - t0;
}
