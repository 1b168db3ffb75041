import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { startChild, type ChildAios } from './child-aios.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';
import { startTwilioSink, type TwilioSink } from './twilio-sink.js';
import { makeHome, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN } from './tenant-files.js';
export { percentile } from '../../bench/lib/stats.js';
import { postTwilioWebhook, missedCallParams, inboundSmsParams } from '../../src/connection/twilio/webhook-client.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** One `aios worker` child process. */
export interface WorkerChild {
  proc: ChildProcess;
  executorId: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** Starts `node bin/aios.mjs worker` and waits for its "is running" line. */
export async function startWorkerChild(home: string, env: Record<string, string>, timeoutMs = 60_000): Promise<WorkerChild> {
  let out = '';
  const proc = spawn(process.execPath, [join(ROOT, 'bin/aios.mjs'), 'worker'], {
    cwd: ROOT,
    env: { ...process.env, AIOS_HOME: home, AIOS_LOG_LEVEL: 'warn', VITEST: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  const executorId = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`worker not ready within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /AIOS worker (\S+) is running/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    proc.stderr!.on('data', (d) => (out += d));
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`worker exited during start:\n${out}`));
    });
  });
  return { proc, executorId, exited, output: () => out };
}

/** A business of the cluster: slug and its Twilio number. */
export interface ClusterTenant {
  slug: string;
  phone: string;
}

/** One HTTP process (`aios start --no-work`) and N workers on one PostgreSQL database, SMS to a local Twilio sink. */
export interface Cluster {
  tdb: TestDatabase;
  sink: TwilioSink;
  home: string;
  web: ChildAios;
  workers: WorkerChild[];
  tenants: ClusterTenant[];
  env: Record<string, string>;
  /** Posts a signed missed-call status callback to the HTTP process. */
  missedCall(from: string, to: string): Promise<Response>;
  /** Posts a signed inbound SMS to the HTTP process. */
  sms(from: string, to: string, body: string): Promise<Response>;
  addWorker(extraEnv?: Record<string, string>): Promise<WorkerChild>;
  stop(): Promise<void>;
}

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  businesses: number;
  workers: number;
  /** More environment for every process (AIOS_HEARTBEAT_MS, AIOS_FAILOVER_AFTER_MS, …). */
  env?: Record<string, string>;
}

/**
 * Starts the cluster: a fresh database on the test PostgreSQL (vitest's, or `startTestPostgres`'s
 * in a benchmark), a home with `businesses` tenants (auto policy: texts go without approval), the
 * HTTP process first (it migrates), then the workers, all with the same DATABASE_URL and home.
 */
export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const tdb = await createTestDatabase({ migrate: false });
  const sink = await startTwilioSink({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const tenants = Array.from({ length: o.businesses }, (_, i) => ({ slug: `biz${String(i).padStart(2, '0')}`, phone: `+1416555${String(100 + i).padStart(4, '0')}` }));
  const home = makeHome(tenants.map((t) => ({ ...t, policy: AUTO_POLICY.replace('max_per_recipient_per_day: 3', 'max_per_recipient_per_day: 20') })));
  const env: Record<string, string> = {
    DATABASE_URL: tdb.url,
    AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, AIOS_TWILIO_BASE_URL: sink.url,
    AIOS_CONFIG_WATCH: '0', AIOS_KNOWLEDGE_WATCH: '0',
    ...o.env,
  };
  const workers: WorkerChild[] = [];
  let web: ChildAios | undefined;
  const stop = async () => {
    for (const p of [...workers.map((w) => ({ proc: w.proc, exited: w.exited })), ...(web ? [web] : [])]) {
      if (p.proc.exitCode === null && p.proc.signalCode === null) {
        p.proc.kill('SIGTERM');
        await Promise.race([p.exited, new Promise((r) => setTimeout(r, 15_000))]);
        if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
      }
    }
    await sink.close().catch(() => undefined);
    await tdb.close().catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    web = await startChild(home, env, 90_000, [], ['--no-work']);
    const addWorker = async (extraEnv: Record<string, string> = {}) => {
      const w = await startWorkerChild(home, { ...env, ...extraEnv });
      workers.push(w);
      return w;
    };
    for (let i = 0; i < o.workers; i++) await addWorker();
    const w = web;
    return {
      tdb, sink, home, web: w, workers, tenants, env, addWorker, stop,
      missedCall: (from, to) => postTwilioWebhook(`${w.url}/hooks/twilio/voice`, missedCallParams({ from, to, accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN }),
      sms: (from, to, body) => postTwilioWebhook(`${w.url}/hooks/twilio/sms`, inboundSmsParams({ from, to, body, accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN }),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The n-th caller's number (distinct for n < 10,000 per prefix). */
export function callerNumber(n: number, prefix = '+1647555'): string {
  return `${prefix}${String(n).padStart(4, '0')}`;
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function inParallel<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

/** Workflow ids PENDING on an executor (running or waiting there). */
export async function pendingOn(tdb: TestDatabase, executorId: string): Promise<string[]> {
  const r = await sql<{ id: string }>`select workflow_uuid as id from dbos.workflow_status where executor_id = ${executorId} and status = 'PENDING'`.execute(tdb.db);
  return r.rows.map((x) => x.id);
}

/**
 * Watches, every 20 ms, for the first of `runs` dequeued by a process other than `executorId`
 * (its `started_at_epoch_ms`, epoch ms). A run that parks after it resumed (waits park by default)
 * clears that time, so reading it once afterwards may find nothing; `stop()` gives the earliest seen.
 */
export function watchResumes(tdb: TestDatabase, executorId: string, runs: string[]): { seen(): number | null; stop(): Promise<number | null> } {
  let seen: number | null = null;
  let stopped = false;
  const loop = (async () => {
    while (!stopped && seen === null && runs.length) {
      const r = await sql<{ at: string | null }>`select min(started_at_epoch_ms) as at from dbos.workflow_status
        where workflow_uuid = any(${runs}) and executor_id <> ${executorId} and started_at_epoch_ms is not null`.execute(tdb.db);
      if (r.rows[0]?.at) seen = Number(r.rows[0].at);
      else await new Promise((res) => setTimeout(res, 20));
    }
  })();
  return { seen: () => seen, stop: async () => { stopped = true; await loop; return seen; } };
}

/**
 * SIGKILLs worker `w` while it has runs in a step (waits park by default, so a worker holds only
 * those; polls up to about 5 s for two, then kills anyway). Returns the kill time (epoch ms), the
 * runs PENDING on it then, and a watch for the first of them resumed elsewhere.
 */
export async function killWhileBusy(tdb: TestDatabase, w: WorkerChild): Promise<{ killedAt: number; runs: string[]; resumes: ReturnType<typeof watchResumes> }> {
  for (let tries = 0; tries < 500 && (await pendingOn(tdb, w.executorId)).length < 2; tries++) await new Promise((r) => setTimeout(r, 5));
  w.proc.kill('SIGKILL');
  const killedAt = Date.now();
  const runs = await pendingOn(tdb, w.executorId);
  return { killedAt, runs, resumes: watchResumes(tdb, w.executorId, runs) };
}

/**
 * How long failover took after `killedAt` (epoch ms, this machine's clock, as PostgreSQL's): until
 * a survivor claimed the dead executor, until the first of its runs was dequeued by a survivor,
 * and until the first step a survivor completed in one of them (a replayed step writes nothing).
 */
export async function failoverTimes(c: Pick<Cluster, 'tdb'>, executorId: string, runs: string[], killedAt: number, resumedSeenAt: number | null = null): Promise<{ claimedMs: number; resumedMs: number; firstStepMs: number }> {
  const r = await sql<{ claimed: string | null; resumed: string | null; step: string | null }>`
    select (select (extract(epoch from claimed_at) * 1000)::bigint from executor_heartbeats where executor_id = ${executorId}) as claimed,
      (select min(started_at_epoch_ms) from dbos.workflow_status where workflow_uuid = any(${runs}) and executor_id <> ${executorId}) as resumed,
      (select min(completed_at_epoch_ms) from dbos.operation_outputs where workflow_uuid = any(${runs}) and completed_at_epoch_ms > ${killedAt}::bigint) as step`.execute(c.tdb.db);
  const row = r.rows[0]!;
  const ms = (v: string | null) => (v === null ? NaN : Number(v) - killedAt);
  const resumed = [row.resumed === null ? null : Number(row.resumed), resumedSeenAt].filter((v): v is number => v !== null);
  return { claimedMs: ms(row.claimed), resumedMs: resumed.length ? Math.min(...resumed) - killedAt : NaN, firstStepMs: ms(row.step) };
}

/** The summary a webhook flood prints (see `webhook-flood.ts`). */
export interface FloodResult {
  fired: number;
  firedMs: number;
  answered: number;
  errors: string[];
  errorCount: number;
  p50Ms: number;
  p99Ms: number;
}

/** A flood running in its child process. */
export interface Flood {
  /** Resolves with the summary when every call was answered, or when {@link Flood.stop} cut it short. */
  done: Promise<FloodResult>;
  /** Stops waiting for the answers still out; `done` then has the answers so far. */
  stop(): Promise<FloodResult>;
}

/** Starts a flood of missed calls to `to` in a child process (`webhook-flood.ts`). */
export function startFlood(c: Pick<Cluster, 'web'>, to: string, callerPrefix: string, ratePerSecond: number, seconds: number): Flood {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/webhook-flood.ts'), `${c.web.url}/hooks/twilio/voice`, to, callerPrefix, String(ratePerSecond), String(seconds)], {
    cwd: ROOT,
    env: { ...process.env, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_ACCOUNT_SID: ACCOUNT_SID },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const done = new Promise<FloodResult>((ok, fail) =>
    proc.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code === 0 && line) ok(JSON.parse(line) as FloodResult);
      else fail(new Error(`webhook flood exited with ${code}:\n${out}`));
    }),
  );
  return {
    done,
    stop: () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return done;
    },
  };
}
