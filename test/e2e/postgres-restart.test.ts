import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'kysely';
import { startTestPostgres } from '../support/pg-process.js';
import { startCluster, callerNumber, inParallel, type Cluster } from '../support/worker-cluster.js';
import { eventually } from '../support/harness.js';

/**
 * PostgreSQL restarts under a running cluster (one HTTP process, two workers): every connection is
 * terminated and, for a moment, refused. Nothing of AIOS is restarted. The processes must carry on
 * with new connections: calls before and after are texted exactly once, runs parked before the
 * restart take their replies after it, heartbeats resume and nobody is taken for dead or fenced.
 * A webhook that meets the outage is answered with an error and sent again, as Twilio does.
 * Its own PostgreSQL (restarting the suite's shared one would break the other files).
 */
let pg: Awaited<ReturnType<typeof startTestPostgres>> | undefined;
let cluster: Cluster | undefined;
const prevAdmin = process.env.AIOS_TEST_PG_ADMIN_URL;
beforeAll(async () => {
  pg = await startTestPostgres();
});
afterAll(async () => {
  await cluster?.stop();
  await pg?.stop();
  if (prevAdmin === undefined) delete process.env.AIOS_TEST_PG_ADMIN_URL;
  else process.env.AIOS_TEST_PG_ADMIN_URL = prevAdmin;
});

const textsTo = (c: Cluster, to: string) => c.sink.messages.filter((m) => m.to === to);

/** Posts until the webhook is acknowledged (Twilio redelivers on an error); returns the errors met. */
async function deliver(post: () => Promise<Response>): Promise<number> {
  for (let errors = 0; ; errors++) {
    const res = await post().catch(() => null);
    await res?.arrayBuffer();
    if (res?.status === 200) return errors;
    if (errors > 60) {
      const web = cluster!.web;
      throw new Error(`webhook not acknowledged after ${errors} attempts (last ${res?.status ?? 'no answer'}); the HTTP process ${web.proc.exitCode === null && web.proc.signalCode === null ? 'runs' : `exited (${web.proc.exitCode ?? web.proc.signalCode})`}; its output:\n${web.output().slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('a PostgreSQL restart', () => {
  it('the HTTP process and the workers reconnect and carry on: no call lost or texted twice, parked runs take their replies', async () => {
    cluster = await startCluster({ businesses: 2, workers: 2, env: { AIOS_DB_POOL_SIZE: '6', AIOS_HEARTBEAT_MS: '500', AIOS_FAILOVER_AFTER_MS: '3000' } });
    const c = cluster;
    const before = Array.from({ length: 20 }, (_, i) => ({ from: callerNumber(i), to: c.tenants[i % 2]!.phone }));
    await inParallel(before, 4, async (call) => void (await deliver(() => c.missedCall(call.from, call.to))));
    await eventually(async () => before.every((b) => textsTo(c, b.from).length === 1), 60_000, 'every caller before the restart texted');
    const parked = async () => Number((await sql<{ n: string }>`select count(*)::text as n from runs where parked_until is not null`.execute(c.tdb.db)).rows[0]!.n);
    await eventually(async () => (await parked()) === 20, 30_000, 'the 20 runs parked, waiting for replies');

    const restartedAt = new Date();
    // Calls keep coming while PostgreSQL goes down and comes back (one every 100 ms per lane).
    const after = Array.from({ length: 20 }, (_, i) => ({ from: callerNumber(100 + i), to: c.tenants[i % 2]!.phone }));
    let errors = 0;
    await Promise.all([
      pg!.restart(),
      inParallel(after, 4, async (call) => {
        errors += await deliver(() => c.missedCall(call.from, call.to));
        await new Promise((r) => setTimeout(r, 100));
      }),
    ]);
    // The suite's own pool (c.tdb.db) met the terminated connections too: its next queries reconnect.
    const started = await eventually(async () => sql<{ at: Date }>`select pg_postmaster_start_time() as at`.execute(c.tdb.db).then((r) => r.rows[0]!.at).catch(() => undefined), 30_000, 'PostgreSQL accepting connections again');
    expect(new Date(started).getTime()).toBeGreaterThan(restartedAt.getTime()); // it did restart
    // Replies to five callers from before the restart: their parked runs wake and answer.
    for (const b of before.slice(0, 5)) errors += await deliver(() => c.sms(b.from, b.to, 'Could someone come Thursday morning?'));
    await eventually(async () => after.every((a) => textsTo(c, a.from).length === 1), 60_000, 'every caller after the restart texted');
    await eventually(async () => before.slice(0, 5).every((b) => textsTo(c, b.from).length >= 2), 60_000, 'the parked runs answered their replies');

    // Exactly once: nobody texted twice for the call (the five who wrote back got one answer more).
    for (const b of before.slice(5)) expect(textsTo(c, b.from)).toHaveLength(1);
    for (const a of after) expect(textsTo(c, a.from)).toHaveLength(1);
    // Every process is still up, beating after the restart, and nobody was taken for dead.
    for (const p of [c.web.proc, ...c.workers.map((w) => w.proc)]) expect(p.exitCode === null && p.signalCode === null).toBe(true);
    await eventually(async () => {
      const rows = await sql<{ status: string; beat: Date }>`select status, beat_at as beat from executor_heartbeats`.execute(c.tdb.db);
      return rows.rows.length === 3 && rows.rows.every((r) => r.status === 'alive' && new Date(r.beat) > restartedAt);
    }, 15_000, 'three live heartbeats after the restart');
    const failed = await sql<{ n: string }>`select count(*)::text as n from runs where status = 'failed'`.execute(c.tdb.db);
    expect(Number(failed.rows[0]!.n)).toBe(0);
    process.stderr.write(`postgres-restart: ${errors} webhook deliveries answered with an error and sent again\n`);
  });
});
