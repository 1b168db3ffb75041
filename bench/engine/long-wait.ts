/**
 * `npm run bench:long-wait`: what a multi-day `ctx.waitUntil` (an invoice chase's next reminder, a
 * publish slot) costs the database while it waits. AIOS runs in this process (test harness, its
 * own embedded PostgreSQL with pg_stat_statements) with a business clock that runs
 * `LONG_WAIT_SPEEDUP` times faster than real time (default 3600: one real second is one business
 * hour). RUNS runs each wait `LONG_WAIT_DAYS` business days on a topic no message arrives on, then
 * finish. Waits of a business hour or more park, as they do in production (the park threshold is
 * scaled with the clock).
 * Prints, per run: the executions (a parked run is replayed from its checkpoints at each wake-up),
 * the steps recorded, and the SQL statements, minus the same idle period's background statements.
 * Environment: LONG_WAIT_DAYS (default 2), LONG_WAIT_RUNS (default 5), LONG_WAIT_SPEEDUP (default 3600).
 */
import { z } from 'zod';
import { startTestPostgres } from '../../test/support/pg-process.js';
import { startHarness, AUTO_POLICY } from '../../test/support/harness.js';
import { definePlaybook } from '../../src/autonomy/engine/define-playbook.js';
import { newId } from '../../src/core/ids.js';
import type { Clock } from '../../src/core/clock.js';
import { sql } from 'kysely';
import { printTable } from '../lib/stats.js';

const DAYS = Number(process.env.LONG_WAIT_DAYS ?? 2);
const RUNS = Number(process.env.LONG_WAIT_RUNS ?? 5);
const SPEEDUP = Number(process.env.LONG_WAIT_SPEEDUP ?? 3600);
const HOUR_MS = 3_600_000;

/** Business time: starts at `start` and runs `speedup` times faster than the system clock. */
class FastClock implements Clock {
  private readonly t0 = Date.now();
  constructor(private readonly start: number, private readonly speedup: number) {}
  now(): Date {
    return new Date(this.start + (Date.now() - this.t0) * this.speedup);
  }
}

let executions = 0;
const waiter = definePlaybook({
  id: 'long-wait-bench', version: 1, title: 'Bench: wait days on the business clock', trigger: { signal: 'long_wait_bench' },
  settings: z.object({ enabled: z.boolean().default(true) }).strict(), minutesPerRun: 1,
  async run(ctx, input) {
    executions++;
    const start = await ctx.now('start');
    const msg = await ctx.waitUntil('wait', new Date(start.getTime() + DAYS * 24 * HOUR_MS), 'the bench deadline', `bench:${input.subject}`);
    return { summary: msg === null ? 'deadline reached' : 'message', resolved: true };
  },
});

process.env.AIOS_PG_SETTINGS = 'shared_preload_libraries=pg_stat_statements,pg_stat_statements.track=top,pg_stat_statements.max=5000';
process.env.AIOS_CONFIG_WATCH = '0';
const pgServer = await startTestPostgres();
const clock = new FastClock(Date.parse('2026-12-01T14:00:00Z'), SPEEDUP);
const h = await startHarness([{ slug: 'bench', phone: '+14165550100', policy: AUTO_POLICY }], {
  clock,
  extraPlaybooks: [waiter as never],
  // Production: a wake-up every business hour, and waits of 60 s or more park. Both scaled to the clock.
  config: { AIOS_WAKE_EVERY_MS: String(Math.round(HOUR_MS / SPEEDUP)), AIOS_PARK_AFTER_MS: String(Math.max(1, Math.round(HOUR_MS / SPEEDUP / 2))) },
});
const db = h.aios.db;
const admin = h.tdb.db; // a superuser in the same database: the extension, and this bench's own reads
await sql`create extension if not exists pg_stat_statements`.execute(admin);
const count = async (): Promise<number> => {
  const r = await sql<{ n: string }>`select coalesce(sum(calls), 0)::text as n from pg_stat_statements
    where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%'`.execute(admin);
  return Number(r.rows[0]!.n);
};
const reset = () => sql`select pg_stat_statements_reset()`.execute(admin);

await new Promise((r) => setTimeout(r, 1000));
await reset();
const idleT0 = Date.now();
await new Promise((r) => setTimeout(r, 5000));
const idlePerMs = (await count()) / (Date.now() - idleT0);

const tenantId = h.aios.tenants.bySlugOrThrow('bench').id;
await reset();
const t0 = Date.now();
const runIds: string[] = [];
for (let i = 0; i < RUNS; i++) {
  const signal = await db.insertInto('signals').values({ id: newId('sig'), tenant_id: tenantId, kind: 'long_wait_bench', subject: `s${i}`, dedup_key: `lw:${i}`, data: '{}' }).returningAll().executeTakeFirstOrThrow();
  runIds.push(...(await h.aios.host.dispatchSignal(signal)));
}
for (;;) {
  const done = await sql<{ n: number }>`select count(*)::int as n from runs where id = any(${runIds}::text[]) and status = 'completed' /* pg_stat_statements: not counted */`.execute(admin);
  if (done.rows[0]!.n === runIds.length) break;
  await new Promise((r) => setTimeout(r, 200));
}
const ms = Date.now() - t0;
const statements = (await count()) - idlePerMs * ms;
const steps = await sql<{ n: string; parks: string }>`select count(*)::text as n, count(*) filter (where function_name = 'aios.park')::text as parks
  from dbos.operation_outputs where workflow_uuid = any(${runIds}::text[])`.execute(admin);
await h.stop();
await pgServer.stop();

printTable(`A ${DAYS}-day waitUntil, ${RUNS} runs (business clock ×${SPEEDUP}: ${(ms / 1000).toFixed(0)} s real; background ${(idlePerMs * 1000).toFixed(1)} statements/s subtracted)`, ['per run', ''], [
  ['executions (first + replays after a wake-up)', executions / RUNS],
  ['parks', Number(steps.rows[0]!.parks) / RUNS],
  ['steps recorded', Number(steps.rows[0]!.n) / RUNS],
  ['SQL statements', Math.round(statements / RUNS)],
]);
process.exit(0);
