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
    ['signals', sql`select * from signals where tenant_id = ${t} order by created_at desc limit 50`],
    ['speed-to-lead before (status)', sql`with firsts as (
      select m.conversation_id, min(m.created_at) as asked_at from messages m where m.tenant_id = ${t} and m.direction = 'inbound' group by m.conversation_id
    ), replies as (
      select distinct on (f.conversation_id) f.conversation_id, f.asked_at, o.created_at as replied_at, o.run_id
      from firsts f join messages o on o.conversation_id = f.conversation_id and o.tenant_id = ${t} and o.direction = 'outbound' and o.created_at > f.asked_at
      order by f.conversation_id, o.created_at
    ) select count(*)::int as n, percentile_cont(0.5) within group (order by extract(epoch from (replied_at - asked_at)) * 1000) as p50 from replies where run_id is null`],
    ['runs by status', sql`select status, count(*) from runs where tenant_id = ${t} group by status`],
  ];
  for (const [label, q] of queries) {
    const plan = (await sql<{ 'QUERY PLAN': string }>`explain (analyze, costs off) ${q}`.execute(db)).rows.map((r) => r['QUERY PLAN']);
    const seq = plan.filter((l) => l.includes('Seq Scan'));
    console.log(`\n-- ${label}: ${plan.find((l) => l.startsWith('Execution Time')) ?? ''}${seq.length ? `  [SEQ SCAN: ${seq.map((l) => l.trim()).join('; ')}]` : ''}`);
    if (process.env.BENCH_EXPLAIN === 'full') console.log(plan.join('\n'));
  }
}
