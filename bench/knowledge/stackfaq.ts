import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { stringify as toYaml } from 'yaml';
import type { Db } from '../../src/store/db.js';
import { searchKnowledge } from '../../src/knowledge/search.js';
import { syncKnowledge } from '../../src/knowledge/sync.js';
import { prepareQuery } from '../../src/knowledge/query.js';
import { printTable } from './table.js';

interface Pair {
  rephr: (string | null)[] | string | null;
  question: string;
  answer: (string | null)[] | string | null;
}

const list = (x: (string | null)[] | string | null | undefined): string[] => (Array.isArray(x) ? x : x ? [x] : []).filter((s): s is string => typeof s === 'string');

/** Plain baseline: every content word OR-ed, ranked by ts_rank_cd alone. */
async function baseline(db: Db, tenantId: string, query: string): Promise<string[]> {
  const words = prepareQuery(query, 'en').concepts.map((c) => c[0]!).join(' or ');
  if (!words) return [];
  const r = await sql<{ file: string }>`
    select file from knowledge_chunks
     where tenant_id = ${tenantId} and tsv @@ websearch_to_tsquery('english', ${words})
     order by ts_rank_cd(tsv, websearch_to_tsquery('english', ${words})) desc, id limit 10`.execute(db);
  return r.rows.map((x) => x.file);
}

function metrics(ranks: number[]): [number, number, number] {
  const n = ranks.length;
  return [ranks.filter((r) => r === 1).length / n, ranks.filter((r) => r >= 1 && r <= 5).length / n, ranks.reduce((a, r) => a + (r >= 1 ? 1 / r : 0), 0) / n];
}

/**
 * StackFAQ retrieval quality: each thread (question + answers) is one FAQ file, indexed through
 * syncKnowledge; every human rephrasing is a query whose right answer is its thread's file.
 * Skipped with a message when the shared data is absent.
 */
export async function benchStackFaq(db: Db, dataFile: string): Promise<void> {
  if (!existsSync(dataFile)) {
    console.log(`\nStackFAQ: skipped — ${dataFile} is not present (shared data lives only in the AIOS workspace).`);
    return;
  }
  const pairs = (JSON.parse(readFileSync(dataFile, 'utf8')) as { root: { qapair: Pair[] } }).root.qapair;
  const dir = mkdtempSync(join(tmpdir(), 'aios-stackfaq-'));
  const tenantId = 'bench_stackfaq';
  try {
    mkdirSync(join(dir, 'faq'));
    pairs.forEach((p, i) => {
      const front = toYaml({ kind: 'faq', title: p.question.trim(), language: 'en' });
      writeFileSync(join(dir, 'faq', `${String(i).padStart(3, '0')}.md`), `---\n${front}---\n\n${list(p.answer).join('\n\n')}\n`);
    });
    await db.insertInto('tenants').values({ id: tenantId, slug: tenantId, name: 'StackFAQ', time_zone: 'UTC', phone: null }).onConflict((oc) => oc.doNothing()).execute();
    const sync = await syncKnowledge(db, tenantId, dir);
    const chunks = await db.selectFrom('knowledge_chunks').select(db.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
    const ours: number[] = [];
    const base: number[] = [];
    let queries = 0;
    const t0 = performance.now();
    for (let i = 0; i < pairs.length; i++) {
      const file = `faq/${String(i).padStart(3, '0')}.md`;
      for (const q of list(pairs[i]!.rephr).map((x) => x.trim()).filter((x) => x && x !== '*')) {
        queries++;
        const hits = await searchKnowledge(db, tenantId, q, { limit: 10, language: 'en' });
        ours.push(hits.findIndex((h) => h.file === file) + 1);
        base.push((await baseline(db, tenantId, q)).indexOf(file) + 1);
      }
    }
    const ms = (performance.now() - t0) / queries / 2;
    printTable(
      `StackFAQ retrieval — ${pairs.length} threads (${sync.stats.files} files, ${chunks.n} chunks), ${queries} human rephrasings as queries`,
      ['method', 'recall@1', 'recall@5', 'MRR@10'],
      [
        ['keyword: searchKnowledge (concept coverage × IDF + cover density)', ...metrics(ours)],
        ['keyword baseline: OR of words, ts_rank_cd only', ...metrics(base)],
        ['hybrid (keyword + vectors, RRF k=60)', 'n/a', 'n/a', 'n/a'],
      ],
      `hybrid: not measured — no embedding model is available offline (hybridSearch needs an embed function). Mean query time ≈ ${ms.toFixed(1)} ms.`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
