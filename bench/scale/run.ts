/**
 * `npm run bench:scale`: one HTTP process (`aios start --no-work`) and 1, 2, 3 `aios worker`
 * processes on one PostgreSQL. Per worker count: a burst of missed calls across 5 businesses
 * (closed loop, 8 webhooks in flight), runs/s (calls ÷ time from the first webhook to the last
 * SMS) and webhook→SMS p50/p99; with 2 and 3 workers, one worker is SIGKILLed during a second
 * burst and the failover is timed from the database (claimed, first run resumed by a survivor,
 * first step a survivor completed). Heartbeat and failover threshold are the defaults (2 s, 10 s)
 * unless AIOS_HEARTBEAT_MS / AIOS_FAILOVER_AFTER_MS are set. BENCH_SCALE_CALLS: burst size (150).
 */
import { startTestPostgres } from '../../test/support/pg-process.js';
import { startCluster, callerNumber, inParallel, failoverTimes, killWhileBusy, type Cluster } from '../../test/support/worker-cluster.js';
import { percentile, printTable } from '../lib/stats.js';

const CALLS = Number(process.env.BENCH_SCALE_CALLS ?? 150);
const env: Record<string, string> = { AIOS_DB_POOL_SIZE: '10' };
for (const k of ['AIOS_HEARTBEAT_MS', 'AIOS_FAILOVER_AFTER_MS', 'AIOS_BUSINESS_RUNS_PER_SECOND', 'AIOS_QUEUE_POLL_MS']) if (process.env[k]) env[k] = process.env[k]!;

async function waitFor(what: string, fn: () => boolean | Promise<boolean>, ms = 300_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A burst of `n` missed calls from callers `base…`; returns webhook→SMS latencies and wall time. */
async function burst(c: Cluster, base: number, n: number, onHalf?: () => Promise<void>): Promise<{ latencies: number[]; wallMs: number }> {
  const sent = new Map<string, number>();
  const t0 = Date.now();
  await inParallel(Array.from({ length: n }, (_, i) => i), 8, async (i) => {
    if (i === Math.floor(n / 2) && onHalf) await onHalf();
    const from = callerNumber(base + i);
    sent.set(from, Date.now());
    const res = await c.missedCall(from, c.tenants[i % c.tenants.length]!.phone);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  });
  const first = new Map<string, number>();
  await waitFor(`${n} callers texted`, () => {
    for (const m of c.sink.messages) if (sent.has(m.to) && !first.has(m.to)) first.set(m.to, Date.parse(m.receivedAt));
    return first.size === n;
  });
  const latencies = [...sent].map(([to, at]) => first.get(to)! - at);
  return { latencies, wallMs: Math.max(...first.values()) - t0 };
}

const pg = await startTestPostgres();
const rows: Array<Array<string | number>> = [];
const failovers: Array<Array<string | number>> = [];
try {
  for (const workers of [1, 2, 3]) {
    const c = await startCluster({ businesses: 5, workers, env });
    try {
      await burst(c, 9000, 10); // warm-up
      const b = await burst(c, 0, CALLS);
      rows.push([workers, CALLS, (CALLS / b.wallMs) * 1000, percentile(b.latencies, 50), percentile(b.latencies, 99)]);
      if (workers > 1) {
        const victim = c.workers[0]!;
        let killedAt = 0;
        let runs: string[] = [];
        let resumes: Awaited<ReturnType<typeof killWhileBusy>>['resumes'] | undefined;
        await burst(c, 5000, CALLS, async () => {
          ({ killedAt, runs, resumes } = await killWhileBusy(c.tdb, victim));
        });
        await waitFor('the failover', async () => Number.isFinite((await failoverTimes(c, victim.executorId, runs, killedAt, resumes!.seen())).resumedMs), 60_000);
        // The first step a survivor completes comes a little after the resume (none, if the runs were past their last step).
        await waitFor('a step', async () => Number.isFinite((await failoverTimes(c, victim.executorId, runs, killedAt)).firstStepMs), 5_000).catch(() => undefined);
        const f = await failoverTimes(c, victim.executorId, runs, killedAt, await resumes!.stop());
        failovers.push([workers, runs.length, f.claimedMs, f.resumedMs, Number.isFinite(f.firstStepMs) ? f.firstStepMs : 'none']);
      }
    } finally {
      await c.stop();
    }
  }
} finally {
  await pg.stop();
}
const hb = env.AIOS_HEARTBEAT_MS ?? '2000';
const fo = env.AIOS_FAILOVER_AFTER_MS ?? '10000';
printTable(`Throughput and latency (1 HTTP process + N workers, 5 businesses, ${CALLS} calls, 8 in flight)`, ['workers', 'calls', 'runs/s', 'webhook→SMS p50 ms', 'p99 ms'], rows);
printTable(`Failover after SIGKILL of one worker (heartbeat ${hb} ms, presumed dead after ${fo} ms)`, ['workers', 'runs on it', 'claimed ms', 'first resumed ms', 'first step ms'], failovers);
