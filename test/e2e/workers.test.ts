import { describe, it, expect, afterAll } from 'vitest';
import { sql } from 'kysely';
import { startCluster, callerNumber, inParallel, failoverTimes, killWhileBusy, type Cluster } from '../support/worker-cluster.js';
import { eventually } from '../support/harness.js';

/**
 * Three `aios worker` processes and one HTTP process (`aios start --no-work`) on one PostgreSQL.
 * A burst of missed calls across 20 businesses; one worker is SIGKILLed in the middle and nothing
 * is restarted. Every caller must be texted exactly once, the killed worker's runs (in a step when
 * it died) must be taken over by a survivor, and every waiting run (parked, the default: on no
 * process) must still take its caller's reply. Waits held in memory on a dead process:
 * test/e2e/direct-start-failover.test.ts. Runs in test/e2e (one file at a time): four AIOS processes and a burst want
 * the machine's two CPUs to themselves. The burst is 400 calls (AIOS_WORKERS_TEST_CALLS changes it): 1,000 took
 * 144–296 s on the shared 2-CPU machine, over the ~2 minutes a test may take; 1,000 passes too.
 */
const CALLS = Number(process.env.AIOS_WORKERS_TEST_CALLS ?? 400);
const FAILOVER_AFTER_MS = 3000;
let cluster: Cluster | undefined;
afterAll(async () => cluster?.stop());

const texts = (c: Cluster) => {
  const by = new Map<string, number>();
  for (const m of c.sink.messages) by.set(m.to, (by.get(m.to) ?? 0) + 1);
  return by;
};

describe('workers sharing one database', () => {
  it('a burst across 20 businesses survives a worker killed mid-way: each caller texted once, each waiting run takes its reply', async () => {
    cluster = await startCluster({ businesses: 20, workers: 3, env: { AIOS_DB_POOL_SIZE: '10', AIOS_HEARTBEAT_MS: '500', AIOS_FAILOVER_AFTER_MS: String(FAILOVER_AFTER_MS), AIOS_BUSINESS_RUNS_PER_SECOND: '50' } });
    const c = cluster;
    const calls = Array.from({ length: CALLS }, (_, i) => ({ from: callerNumber(i), to: c.tenants[i % c.tenants.length]!.phone }));
    const victim = c.workers[1]!;
    let killedAt = 0;
    let victimRuns: string[] = [];
    let resumes: Awaited<ReturnType<typeof killWhileBusy>>['resumes'] | undefined;
    const t0 = Date.now();
    await inParallel(calls, 16, async (call, i) => {
      if (i === Math.floor(CALLS / 2) && !killedAt) {
        // Runs park while they wait for the reply (the default): kill the worker while it has runs
        // in a step (the other lanes keep posting meanwhile).
        ({ killedAt, runs: victimRuns, resumes } = await killWhileBusy(c.tdb, victim));
      }
      const res = await c.missedCall(call.from, call.to);
      expect(res.status).toBe(200);
    });
    const postedMs = Date.now() - t0;
    expect(victimRuns.length, 'runs in a step on the worker when it was killed').toBeGreaterThan(0);
    await eventually(async () => texts(c).size === CALLS || undefined, 120_000, `all ${CALLS} callers texted`);
    const textedMs = Date.now() - t0;
    await eventually(async () => {
      const r = await c.tdb.db.selectFrom('runs').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'waiting').where('waiting_for', 'like', 'reply from %').executeTakeFirstOrThrow();
      return Number(r.n) === CALLS || undefined;
    }, 60_000, 'every run waits for its reply');
    // Failover time, from the database's own timestamps: claimed, first run dequeued by a survivor, first step it completed.
    const f = await failoverTimes(c, victim.executorId, victimRuns, killedAt, (await resumes?.stop()) ?? null);
    expect(f.resumedMs).toBeLessThan(FAILOVER_AFTER_MS + 5000);
    const once = texts(c);
    expect([...once.values()].filter((n) => n !== 1)).toEqual([]);
    const claim = await c.tdb.db.selectFrom('executor_heartbeats').selectAll().where('executor_id', '=', victim.executorId).executeTakeFirstOrThrow();
    expect(claim).toMatchObject({ status: 'dead', recovered_versions: ['aios-runtime-1'] });
    // One survivor claimed it (any process may: the HTTP one re-enqueues, a worker then runs them).
    const survivors = await c.tdb.db.selectFrom('executor_heartbeats').select('executor_id').where('status', '=', 'alive').execute();
    expect(survivors).toHaveLength(3);
    expect(survivors.map((s) => s.executor_id)).toContain(claim.claimed_by);
    expect(claim.recovered_runs).toBeGreaterThan(0);
    const moved = await sql<{ n: string }>`select count(*) as n from dbos.workflow_status where workflow_uuid = any(${victimRuns}) and executor_id = ${victim.executorId}`.execute(c.tdb.db);
    expect(Number(moved.rows[0]!.n)).toBe(0);

    // Every caller answers; every run (the victim's included) takes its reply and texts once more.
    const r0 = Date.now();
    await inParallel(calls, 16, async (call) => {
      const res = await c.sms(call.from, call.to, 'Yes please, tomorrow 9am');
      expect(res.status).toBe(200);
    });
    await eventually(async () => [...texts(c).values()].every((n) => n >= 2) || undefined, 120_000, 'every caller answered after the reply');
    const repliedMs = Date.now() - r0;
    await new Promise((r) => setTimeout(r, 1000));
    const twice = texts(c);
    expect([...twice.values()].filter((n) => n !== 2)).toEqual([]);
    const deals = await c.tdb.db.selectFrom('deals').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(deals.n)).toBe(CALLS);
    process.stdout.write(`\nworkers: ${CALLS} missed calls across 20 businesses, 3 workers (one SIGKILLed after ${Math.floor(CALLS / 2)} calls)\n` +
      `  webhooks posted in ${postedMs} ms; all callers texted after ${textedMs} ms; ${victimRuns.length} runs were on the killed worker\n` +
      `  failover after SIGKILL (heartbeat 500 ms, presumed dead after ${FAILOVER_AFTER_MS} ms): claimed ${f.claimedMs} ms, first run resumed ${f.resumedMs} ms, first step completed ${f.firstStepMs} ms\n` +
      `  ${CALLS} replies taken and answered in ${repliedMs} ms\n`);
  }, 300_000);
});
