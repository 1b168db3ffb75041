import { it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { makeCorpus, insertSyntheticChunks } from '../../bench/knowledge/synthetic.js';
import { searchKnowledge } from './search.js';
const t = await createTestDatabase();
it('perf', async () => {
  const tid = await insertTenant(t.db, 'perf', '+14165550999');
  const corpus = makeCorpus(7);
  const ms = await insertSyntheticChunks(t.db, tid, 20_000, corpus);
  console.log('insert ms', ms.toFixed(0));
  const size = await sql<{ s: string }>`select pg_size_pretty(pg_total_relation_size('knowledge_chunks')) s`.execute(t.db);
  console.log(size.rows[0]);
  const qs = Array.from({ length: 60 }, () => corpus.query());
  const sample = await sql<{ body: string }>`select body from knowledge_chunks where tenant_id = ${tid} order by md5(id) limit 60`.execute(t.db);
  const answerable = sample.rows.map((r, i) => { const w = r.body.split(' ').filter((x) => corpus.vocab.indexOf(x) > 30); return w.slice(i % 7, (i % 7) + 2 + (i % 3)).join(' '); });
  for (const [name, set] of [['random', qs], ['answerable', answerable]] as const) for (const opts of [{}, { kinds: ['faq' as const], audience: 'customers' }]) {
    const times: number[] = []; let hitsN = 0;
    for (const q of set) { const t0 = performance.now(); const h = await searchKnowledge(t.db, tid, q, { ...opts, limit: 5 }); times.push(performance.now() - t0); hitsN += h.length; }
    times.sort((a, b) => a - b);
    console.log(name, JSON.stringify(opts), 'p50', times[30]!.toFixed(1), 'p95', times[57]!.toFixed(1), 'hits', hitsN);
  }
  process.env.KN_EXPLAIN='1'; await searchKnowledge(t.db, tid, answerable[3]!); await searchKnowledge(t.db, tid, qs[3]!); if (Math.random() < 2) return;
  for (const opts of [{}, { kinds: ['faq' as const], audience: 'customers' }]) {
    const times: number[] = []; let hitsN = 0;
    for (const q of qs) { const t0 = performance.now(); const h = await searchKnowledge(t.db, tid, q, { ...opts, limit: 5 }); times.push(performance.now() - t0); hitsN += h.length; }
    times.sort((a, b) => a - b);
    console.log(JSON.stringify(opts), 'p50', times[30]!.toFixed(1), 'p95', times[57]!.toFixed(1), 'hits', hitsN);
  }
  const q = qs[0]!;
  const cnt = await sql`select count(*) from knowledge_chunks where tsv @@ websearch_to_tsquery('english', ${q.split(' ').join(' or ')})`.execute(t.db);
  console.log(q, cnt.rows);
  const ex = await sql`explain analyze select id from knowledge_chunks c where c.tenant_id = ${tid} and c.kind = any(${['faq']}::text[]) and (c.audience is null or c.audience = 'customers') and c.tsv @@ websearch_to_tsquery('english', ${q.split(' ').join(' or ')}) order by ts_rank_cd(c.tsv, websearch_to_tsquery('english', ${q.split(' ').join(' or ')})) desc limit 5`.execute(t.db);
  console.log(ex.rows.map((r: any) => r['QUERY PLAN']).join('\n'));
}, 600_000);
