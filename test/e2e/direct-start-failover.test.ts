import { describe, it, expect, afterAll } from 'vitest';
import { sql } from 'kysely';
import { startChild, cleanUpChildrenAfterAll } from '../support/child-aios.js';
import { createTestDatabase } from '../support/test-db.js';
import { startTwilioSink, type TwilioSink } from '../support/twilio-sink.js';
import { makeHome, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN } from '../support/tenant-files.js';
import { callerNumber, inParallel } from '../support/worker-cluster.js';
import { eventually } from '../support/harness.js';
import { postTwilioWebhook, missedCallParams, inboundSmsParams } from '../../src/connection/twilio/webhook-client.js';

/**
 * Two full AIOS processes (HTTP and work, `aios start`) on one PostgreSQL, as behind a proxy. The
 * process that takes a webhook starts the run on itself (the local lane, run-admission.ts), without
 * the queue. It is SIGKILLed while its runs wait for replies: the survivor must take them over, put
 * them on the run queue in their business's partition (not DBOS's internal queue), and each must
 * still take its caller's reply, sent to the survivor. Every caller texted exactly twice.
 * Waits are held in memory here (AIOS_PARK_AFTER_MS=0), as every wait shorter than the park
 * threshold is: a parked run is PENDING on no process, so it has nothing to take over (the
 * default, parked case is test/e2e/workers.test.ts).
 */
const CALLS = 30;
const FAILOVER_AFTER_MS = 3000;
const tenants = [{ slug: 'biz00', phone: '+14165550100' }, { slug: 'biz01', phone: '+14165550101' }];
const tdb = await createTestDatabase({ migrate: false });
const sink = await startTwilioSink({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
const { homes, children } = cleanUpChildrenAfterAll(sink);
afterAll(async () => tdb.close());

const texts = (s: TwilioSink) => {
  const by = new Map<string, number>();
  for (const m of s.messages) by.set(m.to, (by.get(m.to) ?? 0) + 1);
  return by;
};

describe('runs started directly on the process that took the webhook', () => {
  it('are taken over by a survivor when that process dies, onto the run queue, and still take their replies', async () => {
    const env = {
      DATABASE_URL: tdb.url,
      AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, AIOS_TWILIO_BASE_URL: sink.url,
      AIOS_CONFIG_WATCH: '0', AIOS_KNOWLEDGE_WATCH: '0', AIOS_DB_POOL_SIZE: '10',
      AIOS_HEARTBEAT_MS: '500', AIOS_FAILOVER_AFTER_MS: String(FAILOVER_AFTER_MS),
      AIOS_PARK_AFTER_MS: '0',
    };
    // One home per process (one `aios start` per home); the same businesses, keyed by slug.
    const home = () => {
      const h = makeHome(tenants.map((t) => ({ ...t, policy: AUTO_POLICY })));
      homes.push(h);
      return h;
    };
    const a = await startChild(home(), env, 90_000);
    children.push(a);
    const b = await startChild(home(), env, 90_000);
    children.push(b);
    const calls = Array.from({ length: CALLS }, (_, i) => ({ from: callerNumber(i), to: tenants[i % tenants.length]!.phone }));
    await inParallel(calls, 8, async (call) => {
      const res = await postTwilioWebhook(`${a.url}/hooks/twilio/voice`, missedCallParams({ from: call.from, to: call.to, accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN });
      expect(res.status).toBe(200);
    });
    await eventually(async () => texts(sink).size === CALLS || undefined, 60_000, `all ${CALLS} callers texted`);
    const waiting = async () => {
      const r = await tdb.db.selectFrom('runs').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'waiting').where('waiting_for', 'like', 'reply from %').executeTakeFirstOrThrow();
      return Number(r.n);
    };
    await eventually(async () => (await waiting()) === CALLS || undefined, 30_000, 'every run waits for its reply');

    const beats = await tdb.db.selectFrom('executor_heartbeats').select(['executor_id', 'pid']).execute();
    const aId = beats.find((x) => x.pid === a.proc.pid)!.executor_id;
    const bId = beats.find((x) => x.pid === b.proc.pid)!.executor_id;
    // Started on A itself: no queue, PENDING (waiting in A's memory).
    const onA = await sql<{ id: string; queue_name: string | null }>`select workflow_uuid as id, queue_name from dbos.workflow_status
      where executor_id = ${aId} and status = 'PENDING' and workflow_uuid in (select id from runs)`.execute(tdb.db);
    expect(onA.rows).toHaveLength(CALLS);
    expect(onA.rows.filter((r) => r.queue_name !== null)).toEqual([]);

    a.proc.kill('SIGKILL');
    await a.exited;
    const killedAt = Date.now();
    const ids = onA.rows.map((r) => r.id);
    await eventually(async () => {
      const r = await sql<{ n: string }>`select count(*) as n from dbos.workflow_status where workflow_uuid = any(${ids}) and executor_id = ${bId} and status = 'PENDING'`.execute(tdb.db);
      return Number(r.rows[0]!.n) === CALLS || undefined;
    }, 30_000, 'the survivor resumed every run of the dead process');
    const resumedMs = Date.now() - killedAt;
    const moved = await sql<{ queue_name: string; partition: string; tenant: string }>`select w.queue_name, w.queue_partition_key as partition, r.tenant_id as tenant
      from dbos.workflow_status w join runs r on r.id = w.workflow_uuid where w.workflow_uuid = any(${ids})`.execute(tdb.db);
    expect(moved.rows.filter((r) => r.queue_name !== 'aios-runs' || r.partition !== r.tenant)).toEqual([]);
    const claim = await tdb.db.selectFrom('executor_heartbeats').selectAll().where('executor_id', '=', aId).executeTakeFirstOrThrow();
    expect(claim).toMatchObject({ status: 'dead', claimed_by: bId, recovered_runs: CALLS });
    expect(await waiting()).toBe(CALLS);

    await inParallel(calls, 8, async (call) => {
      const res = await postTwilioWebhook(`${b.url}/hooks/twilio/sms`, inboundSmsParams({ from: call.from, to: call.to, body: 'Tomorrow at 9 works', accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN });
      expect(res.status).toBe(200);
    });
    await eventually(async () => [...texts(sink).values()].every((n) => n >= 2) || undefined, 60_000, 'every caller answered after the reply');
    await new Promise((r) => setTimeout(r, 1000));
    expect([...texts(sink).values()].filter((n) => n !== 2)).toEqual([]);
    const deals = await tdb.db.selectFrom('deals').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(deals.n)).toBe(CALLS);
    process.stdout.write(`\ndirect starts: ${CALLS} runs started on the process that took the webhook; SIGKILLed; the survivor resumed all in ${resumedMs} ms (presumed dead after ${FAILOVER_AFTER_MS} ms)\n`);
  }, 240_000);
});
