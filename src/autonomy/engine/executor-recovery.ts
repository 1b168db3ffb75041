import { DBOSExecutor } from '@dbos-inc/dbos-sdk/internal/dbos-executor';
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { RUN_QUEUE } from './run-queue.js';

/**
 * Re-enqueues the PENDING workflows of `executorId` that belong to this process's application
 * version (DBOS's own recovery, as at launch, for another executor id): each goes back on its
 * queue, keeps its partition, and the next worker to poll resumes it from its last checkpoint.
 * Runs that were started directly (`run-admission.ts`) have no queue: they are put on the run
 * queue in their business's partition first ({@link queueDirectRuns}), or DBOS would put them on
 * its internal queue, which every process, a web process too, executes without per-business limits.
 * DBOS 5.3 exposes this only on its executor (`recoverPendingWorkflows`), hence the internal import.
 * @returns how many workflows were re-enqueued.
 */
export async function recoverExecutorWorkflows(db: Db, executorId: string, version: string): Promise<number> {
  const exec = DBOSExecutor.globalInstance;
  if (!exec) throw new Error('DBOS is not launched: launch it before recovering another executor');
  await queueDirectRuns(db, executorId, version);
  return (await exec.recoverPendingWorkflows([executorId])).length;
}

/**
 * Gives the directly started PENDING runs of `executorId` (version `version`) the run queue and
 * their business as partition, so that recovery re-enqueues them there. Only runs: other
 * workflows without a queue are left to DBOS. Call only for an executor that is not running (a
 * dead peer, or this process's previous life before `DBOS.launch()`); a no-op before DBOS's
 * schema exists.
 * @returns how many runs were given the queue.
 */
export async function queueDirectRuns(db: Db, executorId: string, version: string): Promise<number> {
  const exists = await sql<{ t: string | null }>`select to_regclass('dbos.workflow_status')::text as t`.execute(db);
  if (!exists.rows[0]?.t) return 0;
  const r = await sql`update dbos.workflow_status w set queue_name = ${RUN_QUEUE}, queue_partition_key = r.tenant_id
    from runs r
    where r.id = w.workflow_uuid and w.executor_id = ${executorId} and w.status = 'PENDING'
      and w.queue_name is null and w.application_version = ${version}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Pending (running or waiting) workflows of `executorId` by application version, other than `version`. */
export async function pendingOfOtherVersions(db: Db, executorId: string, version: string): Promise<Array<{ version: string; count: number }>> {
  const r = await sql<{ version: string; count: string }>`
    select application_version as version, count(*) as count from dbos.workflow_status
    where executor_id = ${executorId} and status = 'PENDING' and application_version is distinct from ${version}
    group by 1 order by 1`.execute(db);
  return r.rows.map((x) => ({ version: x.version ?? '(none)', count: Number(x.count) }));
}

/** Queued workflows on `queue` that only a process of another application version will take. */
export async function queuedOfOtherVersions(db: Db, queue: string, version: string): Promise<Array<{ version: string; count: number }>> {
  const r = await sql<{ version: string; count: string }>`
    select application_version as version, count(*) as count from dbos.workflow_status
    where queue_name = ${queue} and status = 'ENQUEUED' and application_version is not null and application_version <> ${version}
    group by 1 order by 1`.execute(db);
  return r.rows.map((x) => ({ version: x.version, count: Number(x.count) }));
}

/** Executor ids with PENDING workflows of `version` and no heartbeat row (processes from before heartbeats). */
export async function unknownExecutors(db: Db, version: string): Promise<string[]> {
  const r = await sql<{ executor_id: string }>`
    select distinct w.executor_id from dbos.workflow_status w
    where w.status = 'PENDING' and w.application_version = ${version} and w.executor_id is not null
      and not exists (select 1 from executor_heartbeats h where h.executor_id = w.executor_id)`.execute(db);
  return r.rows.map((x) => x.executor_id);
}
