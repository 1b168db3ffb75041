import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { ExecutorRole } from '../../store/schema.js';
import type { Logger } from '../../core/logger.js';
import { AiosError } from '../../core/errors.js';
import { recoverExecutorWorkflows, pendingOfOtherVersions, queuedOfOtherVersions, unknownExecutors } from './executor-recovery.js';
import { RUN_QUEUE } from './run-queue.js';

/** What a presence needs. */
export interface PresenceOptions {
  db: Db;
  log: Logger;
  executorId: string;
  role: ExecutorRole;
  appVersion: string;
  /** Interval between heartbeats, in ms. */
  heartbeatMs: number;
  /** A peer whose heartbeat is older than this is presumed dead, in ms. */
  failoverAfterMs: number;
  /**
   * False when something else already guarantees one process per id (the embedded database's
   * instance lock): a fresh row of the same id is then this process's own previous life.
   */
  checkUnique: boolean;
  /** Called once when this process finds its row taken over while it was still running. */
  onFenced: (by: string | null) => void;
  /** Re-enqueues an executor's pending workflows of this version (default: DBOS's recovery). */
  recover?: (executorId: string) => Promise<number>;
}

/** One takeover, for logs and tests. */
export interface Takeover {
  executorId: string;
  /** Why: its heartbeat went stale, it stopped cleanly, or it never had a heartbeat row. */
  reason: 'stale' | 'stopped' | 'unknown' | 'dead';
  recovered: number;
  at: Date;
}

/**
 * This process's row in `executor_heartbeats`, its heartbeat, and failover of dead peers.
 *
 * Every `heartbeatMs` the process writes `beat_at = now()` (database clock, so clock skew between
 * machines does not matter). Once it has itself been beating without a gap for `failoverAfterMs`
 * (so that after a PostgreSQL restart nobody takes the others for dead before they could beat
 * again), it looks for peers whose beat is older than `failoverAfterMs`, or that stopped cleanly,
 * and whose runs of this application version were not recovered yet. The rows are locked
 * `FOR UPDATE SKIP LOCKED`, so exactly one survivor claims each; it re-enqueues the peer's pending
 * workflows through DBOS, then records its version in `recovered_versions` in the same transaction
 * (a crash in between leaves the row claimable; recovering twice is a no-op). Pending runs of other
 * versions are left for a process of that version, and logged.
 *
 * Fencing: a process whose row was claimed while it was alive (a long pause, a network split) finds
 * its beat refused and calls `onFenced`; the command stops the process so its runs are not run
 * twice (the outbox keeps sends at most once whatever happens).
 */
export class ExecutorPresence {
  private readonly token = randomBytes(12).toString('hex');
  private timer: NodeJS.Timeout | null = null;
  private healthySince: number | null = null;
  private failing = false;
  private fenced = false;
  private stopped = false;
  private ticking: Promise<void> = Promise.resolve();
  /** Takeovers this process did, oldest first. */
  readonly takeovers: Takeover[] = [];

  constructor(private readonly o: PresenceOptions) {}

  get executorId(): string {
    return this.o.executorId;
  }

  /**
   * Writes this process's row (before DBOS launches, so no workflow of this id exists without one).
   * @throws AiosError `executor_id_in_use` when a live process already beats under this id.
   */
  async register(): Promise<void> {
    const { db, executorId, role, appVersion } = this.o;
    const host = hostname();
    const prev = await db.selectFrom('executor_heartbeats').selectAll().select(sql<number>`extract(epoch from now() - beat_at) * 1000`.as('age_ms')).where('executor_id', '=', executorId).executeTakeFirst();
    if (prev && this.o.checkUnique && prev.status === 'alive' && Number(prev.age_ms) < this.o.failoverAfterMs && !(prev.host === host && !pidAlive(prev.pid))) {
      throw new AiosError('executor_id_in_use', `executor id "${executorId}" is in use by a running AIOS (pid ${prev.pid} on ${prev.host}, heartbeat ${Math.round(Number(prev.age_ms))} ms ago)`, {
        fix: 'Give each process its own AIOS_EXECUTOR_ID, or leave it unset so that each process draws one; if that process just died, start again in a few seconds.',
      });
    }
    const row = { role, app_version: appVersion, host, pid: process.pid, token: this.token, status: 'alive' as const, started_at: sql<Date>`now()`, beat_at: sql<Date>`now()`, claimed_by: null, claimed_at: null, recovered_versions: [] as string[], recovered_runs: 0 };
    await db.insertInto('executor_heartbeats').values({ executor_id: executorId, ...row }).onConflict((oc) => oc.column('executor_id').doUpdateSet(row)).execute();
    this.healthySince = Date.now();
  }

  /** Starts the heartbeat and failover loop (after DBOS launched), saying which queued runs belong to other versions. */
  async start(): Promise<void> {
    await this.reportOtherVersions().catch((err: unknown) => this.o.log.warn({ err }, 'could not list the queued runs of other versions'));
    const loop = () => {
      if (this.stopped || this.fenced) return;
      this.ticking = this.tick().finally(() => {
        if (!this.stopped && !this.fenced) this.timer = setTimeout(loop, this.o.heartbeatMs);
      });
    };
    this.timer = setTimeout(loop, this.o.heartbeatMs);
  }

  /** One heartbeat, then a failover pass when this process has been healthy long enough. */
  async tick(): Promise<void> {
    const { db, log } = this.o;
    try {
      const r = await db.updateTable('executor_heartbeats').set({ beat_at: sql`now()` }).where('executor_id', '=', this.o.executorId).where('token', '=', this.token).where('status', '=', 'alive').executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) {
        // A web process executes no runs: nothing of it was handed over, it only takes its row back.
        if (this.o.role === 'web') return await this.retake();
        return this.fence();
      }
      if (this.failing) log.info({ executor: this.o.executorId }, 'database reachable again: heartbeat resumed');
      if (this.failing || this.healthySince === null) this.healthySince = Date.now();
      this.failing = false;
    } catch (err) {
      if (!this.failing) log.warn({ err, executor: this.o.executorId }, 'heartbeat failed (database unreachable?); retrying');
      this.failing = true;
      this.healthySince = null;
      return;
    }
    if (Date.now() - this.healthySince >= this.o.failoverAfterMs) {
      await this.failover().catch((err: unknown) => log.warn({ err }, 'failover pass failed; retrying at the next heartbeat'));
    }
  }

  /** Claims dead or stopped peers and re-enqueues their pending runs of this version. */
  async failover(): Promise<Takeover[]> {
    const { db, appVersion, executorId } = this.o;
    const recover = this.o.recover ?? ((id: string) => recoverExecutorWorkflows(db, id, appVersion));
    const done: Takeover[] = [];
    // Processes from before heartbeats (or started by an older build): give them a row first.
    for (const id of await unknownExecutors(db, appVersion)) {
      await db.insertInto('executor_heartbeats').values({ executor_id: id, role: 'all', app_version: appVersion, host: '?', pid: 0, token: 'unknown', status: 'dead', beat_at: sql`now() - interval '1 year'` }).onConflict((oc) => oc.column('executor_id').doNothing()).execute();
    }
    await db.transaction().execute(async (tx) => {
      const peers = await sql<{ executor_id: string; status: 'alive' | 'stopped' | 'dead'; token: string; age_ms: number }>`
        select executor_id, status, token, extract(epoch from now() - beat_at) * 1000 as age_ms from executor_heartbeats
        where executor_id <> ${executorId} and not (${appVersion} = any(recovered_versions))
          and (status <> 'alive' or beat_at < now() - ${this.o.failoverAfterMs} * interval '1 millisecond')
        order by beat_at limit 20
        for update skip locked`.execute(tx);
      for (const p of peers.rows) {
        const recovered = await recover(p.executor_id);
        const reason: Takeover['reason'] = p.token === 'unknown' ? 'unknown' : p.status === 'alive' ? 'stale' : p.status;
        await tx
          .updateTable('executor_heartbeats')
          .set({
            status: sql`case when status = 'alive' then 'dead' else status end`,
            claimed_by: executorId,
            claimed_at: sql`now()`,
            recovered_versions: sql`array_append(recovered_versions, ${appVersion})`,
            recovered_runs: sql`recovered_runs + ${recovered}`,
          })
          .where('executor_id', '=', p.executor_id)
          .execute();
        const t: Takeover = { executorId: p.executor_id, reason, recovered, at: new Date() };
        done.push(t);
        this.o.log.warn({ peer: p.executor_id, reason, heartbeatAgeMs: Math.round(Number(p.age_ms)), recovered, version: appVersion }, `took over executor ${p.executor_id} (${reason}): ${recovered} run(s) of version ${appVersion} re-queued`);
        for (const o of await pendingOfOtherVersions(tx, p.executor_id, appVersion)) {
          this.o.log.warn({ peer: p.executor_id, version: o.version, runs: o.count }, `executor ${p.executor_id} left ${o.count} run(s) of application version ${o.version}: left for a process started with AIOS_APP_VERSION=${o.version}`);
        }
      }
    });
    this.takeovers.push(...done);
    return done;
  }

  /** Says which queued runs this process will not take because they belong to another application version. */
  private async reportOtherVersions(): Promise<void> {
    if (this.o.role === 'web') return;
    for (const o of await queuedOfOtherVersions(this.o.db, RUN_QUEUE, this.o.appVersion)) {
      this.o.log.warn({ version: o.version, runs: o.count }, `${o.count} queued run(s) of application version ${o.version} are left for a worker started with AIOS_APP_VERSION=${o.version} (this one runs ${this.o.appVersion})`);
    }
  }

  private async retake(): Promise<void> {
    this.o.log.warn({ executor: this.o.executorId }, 'this HTTP process was taken for dead (it runs no work, so nothing was handed over): heartbeat row taken back');
    await this.o.db.updateTable('executor_heartbeats').set({ token: this.token, status: 'alive', beat_at: sql`now()`, recovered_versions: [], claimed_by: null, claimed_at: null }).where('executor_id', '=', this.o.executorId).execute();
  }

  private fence(): void {
    if (this.fenced) return;
    this.fenced = true;
    void this.o.db.selectFrom('executor_heartbeats').select('claimed_by').where('executor_id', '=', this.o.executorId).executeTakeFirst()
      .then((r) => r?.claimed_by ?? null, () => null)
      .then((by) => {
        this.o.log.error({ executor: this.o.executorId, claimedBy: by }, `this process (executor ${this.o.executorId}) was taken for dead${by ? ` by ${by}` : ''} and its runs were handed over: stopping so that they are not run twice`);
        this.o.onFenced(by);
      });
  }

  /** Stops beating and marks the row stopped (a survivor re-queues its waiting runs at once). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking.catch(() => undefined);
    if (this.fenced) return;
    await this.o.db.updateTable('executor_heartbeats').set({ status: 'stopped', beat_at: sql`now()` }).where('executor_id', '=', this.o.executorId).where('token', '=', this.token).where('status', '=', 'alive').execute();
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
