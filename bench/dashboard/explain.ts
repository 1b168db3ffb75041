/**
 * `BENCH_EXPLAIN=1`: the plans (EXPLAIN ANALYZE) of the queries behind the dashboard's lists and
 * the ledger totals, as the route handlers write them, with a line per sequential scan found.
 */
import { sql } from 'kysely';
import type { Db } from '../../src/store/db.js';

/** Prints each query's plan and execution time; flags `Seq Scan` nodes. */
export async function explainLists(db: Db, t: string): Promise<void> {
  const queries: Array<[string, ReturnType<typeof sql>]> = [
    ['approvals pending', sql`select * from approvals where tenant_id = ${t} and status = 'pending' order by created_at desc limit 50`],
    ['approvals all', sql`select * from approvals where tenant_id = ${t} order by created_at desc limit 50`],
    ['conversations', sql`select * from conversations where tenant_id = ${t} order by last_message_at desc limit 200`],
    ['conversations waiting', sql`select * from conversations where tenant_id = ${t} and state = 'waiting_for_owner' order by last_message_at desc limit 200`],
    ['thread messages', sql`select * from messages where tenant_id = ${t} and conversation_id = 'b_cv1' order by created_at desc limit 50`],
    ['runs', sql`select * from runs where tenant_id = ${t} order by started_at desc limit 50`],
    ['ledger entries', sql`select * from ledger where tenant_id = ${t} order by created_at desc limit 50`],
    ['ledger totals', sql`select count(*), sum(minutes_saved), sum(value_cents), sum(ai_cost_micros), percentile_cont(0.5) within group (order by response_ms) from ledger where tenant_id = ${t}`],
    ['sms totals', sql`select count(*), coalesce(sum(segments),0) from outbox where tenant_id = ${t} and channel = 'sms' and status = 'sent'`],
    ['runs by status', sql`select status, count(*) from runs where tenant_id = ${t} group by status`],
  ];
  for (const [label, q] of queries) {
    const plan = (await sql<{ 'QUERY PLAN': string }>`explain (analyze, costs off) ${q}`.execute(db)).rows.map((r) => r['QUERY PLAN']);
    const seq = plan.filter((l) => l.includes('Seq Scan'));
    console.log(`\n-- ${label}: ${plan.find((l) => l.startsWith('Execution Time')) ?? ''}${seq.length ? `  [SEQ SCAN: ${seq.map((l) => l.trim()).join('; ')}]` : ''}`);
    if (process.env.BENCH_EXPLAIN === 'full') console.log(plan.join('\n'));
  }
}
