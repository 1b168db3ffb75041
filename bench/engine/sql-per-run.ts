/**
 * `npm run bench:sql`: how many SQL statements one missed-call run costs, and which ones.
 * Starts AIOS (child process, embedded PostgreSQL with `log_statement=all`), sends N missed calls
 * one at a time (each waits for its text), then counts the statements PostgreSQL logged while
 * they ran, minus the same idle period's background statements (heartbeats, watchers).
 * Environment: SQL_CALLS (default 40).
 */
import { ACCOUNT_SID, AUTH_TOKEN } from '../../test/support/tenant-files.js';
import { postTwilioWebhook, missedCallParams } from '../../src/connection/twilio/webhook-client.js';
import { startBenchAios, BENCH_BUSINESS as BUSINESS } from '../lib/bench-aios.js';
import { printTable } from '../lib/stats.js';

const CALLS = Number(process.env.SQL_CALLS ?? 40);
const settings = `shared_preload_libraries=pg_stat_statements,pg_stat_statements.track=${process.env.SQL_TRACK ?? 'top'},pg_stat_statements.max=5000`;
const aios = await startBenchAios({ AIOS_PG_SETTINGS: settings });
const { child, db } = aios;
await db.query('create extension if not exists pg_stat_statements');
const POLL = 'aios_bench_poll';
/** Statement counts since the last reset, without this bench's own queries. */
async function snapshot(): Promise<Map<string, number>> {
  const r = await db.query(`select query, calls::int as n from pg_stat_statements where query not like '%pg_stat_statements%' and query not like '%${POLL}%'`);
  const m = new Map<string, number>();
  for (const x of r.rows) m.set(x.query, (m.get(x.query) ?? 0) + Number(x.n));
  return m;
}
const reset = () => db.query('select pg_stat_statements_reset()');

let seq = 0;
async function oneCall(): Promise<void> {
  const caller = `+1647${String(3_000_000 + seq++).padStart(7, '0')}`;
  const res = await postTwilioWebhook(`${child.url}/hooks/twilio/voice`, missedCallParams({ from: caller, to: BUSINESS, accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN });
  await res.arrayBuffer();
  for (;;) {
    const r = await db.query(`select 1 as ${POLL} from runs r join outbox o on o.run_id = r.id where o.recipient = $1 and o.status = 'sent' and r.status = 'waiting'`, [caller]);
    if (r.rowCount) return;
    await new Promise((x) => setTimeout(x, 20));
  }
}
for (let i = 0; i < 5; i++) await oneCall(); // warm-up
await new Promise((r) => setTimeout(r, 500));
await reset();
const idleStart = Date.now();
await new Promise((r) => setTimeout(r, 3000));
const idle = await snapshot();
const idleMs = Date.now() - idleStart;
await reset();
const t0 = Date.now();
for (let i = 0; i < CALLS; i++) await oneCall();
const callsMs = Date.now() - t0;
const calls = await snapshot();
await aios.stop();

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const idlePerMs = sum(idle) / idleMs;
const background = idlePerMs * callsMs;
const isDbos = (q: string) => /"?dbos"?\./i.test(q);
const total = sum(calls);
const dbosCount = [...calls.entries()].filter(([q]) => isDbos(q)).reduce((a, [, n]) => a + n, 0);
printTable(`SQL statements per missed-call run (${CALLS} calls, one at a time; background ${(idlePerMs * 1000).toFixed(1)}/s subtracted)`, ['', 'statements per run'], [
  ['all', (total - background) / CALLS],
  ['DBOS (dbos.* tables)', dbosCount / CALLS],
  ['AIOS (its own tables, incl. BEGIN/COMMIT)', (total - dbosCount - background) / CALLS],
]);
printTable('By statement (per run, ≥ 0.5)', ['per run', 'DBOS', 'statement (first 90 chars)'], [...calls.entries()].map(([q, n]) => [n / CALLS, isDbos(q) ? 'yes' : '', q.replace(/\s+/g, ' ').slice(0, 90)] as Array<string | number>).filter((r) => (r[0] as number) >= 0.5).sort((a, b) => (b[0] as number) - (a[0] as number)));
process.exit(0);
