/**
 * `npm run bench`: missed-call webhooks against a running AIOS (a child process on its embedded
 * PostgreSQL, auto-send to a local Twilio sink), then bare DBOS with the same number of steps.
 * Prints Markdown tables. Environment: BENCH_RATES (calls/s, default "50,100"), BENCH_SECONDS
 * (per rate, default 20), BENCH_SATURATION_CALLS (default 2000).
 */
import { ACCOUNT_SID, AUTH_TOKEN } from '../test/support/tenant-files.js';
import { startBenchAios, BENCH_BUSINESS as BUSINESS } from './lib/bench-aios.js';
import { postTwilioWebhook, missedCallParams } from '../src/connection/twilio/webhook-client.js';
import { percentile, printTable } from './lib/stats.js';
import { rssMiB, postgresPssMiB, peakSampler } from './lib/proc-mem.js';
import { dbosBaseline } from './dbos-baseline.js';

const rates = (process.env.BENCH_RATES ?? '50,100').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const saturationCalls = Number(process.env.BENCH_SATURATION_CALLS ?? 2000);

const aios = await startBenchAios(process.env.AIOS_PG_SETTINGS ? { AIOS_PG_SETTINGS: process.env.AIOS_PG_SETTINGS } : {}, (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean));
const { child, sink, db, postmasterPid } = aios;

let callerSeq = 0;
const nextCaller = () => `+1647${String(2_000_000 + callerSeq++).padStart(7, '0')}`;
const nowMs = () => performance.timeOrigin + performance.now();

interface Sent {
  caller: string;
  sentAt: number;
  ackMs: number;
}

async function call(): Promise<Sent> {
  const caller = nextCaller();
  const sentAt = nowMs();
  const res = await postTwilioWebhook(`${child.url}/hooks/twilio/voice`, missedCallParams({ from: caller, to: BUSINESS, accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  return { caller, sentAt, ackMs: nowMs() - sentAt };
}

/** Waits until every caller has an outbox row marked sent; returns webhook→outbox and →SMS latencies. */
async function collect(sent: Sent[], timeoutMs = 120_000) {
  const callers = sent.map((s) => s.caller);
  const end = Date.now() + timeoutMs;
  let rows: Array<{ recipient: string; created: number; sent: number }> = [];
  while (Date.now() < end) {
    const r = await db.query(`select recipient, extract(epoch from created_at)*1000 as created, extract(epoch from sent_at)*1000 as sent from outbox where recipient = any($1) and status = 'sent'`, [callers]);
    rows = r.rows.map((x) => ({ recipient: x.recipient, created: Number(x.created), sent: Number(x.sent) }));
    if (rows.length === callers.length) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  const byCaller = new Map(rows.map((r) => [r.recipient, r]));
  const smsAt = new Map(sink.messages.map((m) => [m.to, Date.parse(m.receivedAt)]));
  const toOutbox: number[] = [];
  const toSms: number[] = [];
  for (const s of sent) {
    const r = byCaller.get(s.caller);
    if (r) toOutbox.push(r.created - s.sentAt);
    const at = smsAt.get(s.caller);
    if (at !== undefined) toSms.push(at - s.sentAt);
  }
  const lastSms = Math.max(...sent.map((s) => smsAt.get(s.caller) ?? 0));
  return { toOutbox, toSms, completed: rows.length, lastSms };
}

const memNode = peakSampler(() => rssMiB(child.proc.pid!));
const memPg = peakSampler(() => postgresPssMiB(postmasterPid));

// Warm-up: JIT, connection pools, DBOS caches.
await Promise.all(Array.from({ length: 50 }, call));
await new Promise((r) => setTimeout(r, 1500));

const steadyRows: Array<Array<string | number>> = [];
for (const rate of rates) {
  const total = rate * seconds;
  const pending: Array<Promise<Sent>> = [];
  const t0 = nowMs();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - nowMs();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(call());
  }
  const sent = await Promise.all(pending);
  const { toOutbox, toSms, completed, lastSms } = await collect(sent);
  const sustained = (completed / (lastSms - t0)) * 1000;
  const ack = sent.map((s) => s.ackMs);
  steadyRows.push([
    rate, total, completed, sustained,
    percentile(ack, 50), percentile(ack, 99),
    percentile(toOutbox, 50), percentile(toOutbox, 95), percentile(toOutbox, 99),
    percentile(toSms, 50), percentile(toSms, 99),
  ]);
  await new Promise((r) => setTimeout(r, 1000));
}

// Saturation: as fast as the server takes them, 32 webhooks in flight.
const satSent: Sent[] = [];
let issued = 0;
const tSat = nowMs();
await Promise.all(Array.from({ length: 32 }, async () => {
  while (issued < saturationCalls) {
    issued++;
    satSent.push(await call());
  }
}));
const sat = await collect(satSent);
const aiosPerSecond = (sat.completed / (sat.lastSms - tSat)) * 1000;

const nodePeak = memNode.stop();
const pgPeak = memPg.stop();
const oneRun = await db.query(`select r.id, (select count(*) from dbos.operation_outputs o where o.workflow_uuid = r.id)::int as ops, (select count(*) from dbos.operation_outputs o where o.workflow_uuid = r.id and o.function_name not like 'DBOS.%')::int as steps from runs r where r.status = 'waiting' limit 1`);
const opsPerRun = Number(oneRun.rows[0]?.ops ?? 9);
const stepsPerRun = Number(oneRun.rows[0]?.steps ?? 8);
await aios.stop();

const base = await dbosBaseline({ steps: stepsPerRun, workflows: saturationCalls, concurrency: 32 });

printTable('Missed-call webhooks at a steady rate (auto-send to the local Twilio sink)', [
  'rate (calls/s)', 'calls', 'texted', 'sustained (calls/s)', 'ack p50 ms', 'ack p99 ms', 'webhook→outbox p50 ms', 'p95 ms', 'p99 ms', 'webhook→SMS p50 ms', 'p99 ms',
], steadyRows);
printTable('Saturation throughput vs bare DBOS (same steps, 32 in flight)', ['system', 'runs', 'checkpointed steps per run', 'runs/s', 'AIOS as % of DBOS'], [
  ['AIOS (HTTP + signature + event + signal + policy + outbox + SMS)', saturationCalls, `${stepsPerRun} steps + recv (${opsPerRun} DBOS ops)`, aiosPerSecond, (aiosPerSecond / base.perSecond) * 100],
  ['bare DBOS (empty steps)', saturationCalls, `${stepsPerRun} steps + recv`, base.perSecond, 100],
]);
printTable('Memory (peak during the steady and saturation phases)', ['process', 'peak MiB'], [
  ['AIOS Node (RSS)', nodePeak],
  ['PostgreSQL (PSS, all backends)', pgPeak],
]);
process.stdout.write(`\nmachine: ${(await import('node:os')).cpus().length} cores, Node ${process.version}\n`);
process.exit(0);
