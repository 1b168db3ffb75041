import { DBOS, Error as DBOSErrors } from '@dbos-inc/dbos-sdk';
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { DEFAULT_PARK_AFTER_MS } from '../../core/config.js';
import type { EngineDeps } from './engine-deps.js';
import { RUN_QUEUE } from './run-queue.js';

/**
 * Parking: a run that waits long holds no memory.
 *
 * A DBOS workflow that waits in `DBOS.recv` or `DBOS.sleep` keeps its function pending in the
 * process (tens of KiB each), and counts against every concurrency limit of its queue. A parked run
 * instead ends its execution: one transaction writes `runs.parked_until` / `parked_topic` and sets
 * the DBOS workflow aside (CANCELLED, unowned), exactly as `DBOS.cancelWorkflow` would. Waking it
 * (a message on its topic, or its deadline passed) clears the park and re-enqueues the workflow on
 * the run queue (as `DBOS.resumeWorkflow` would), again in one transaction, so any worker replays
 * it from its checkpoints: finished steps return their recorded results and the wait continues
 * with its recorded deadline.
 *
 * Why our own SQL on DBOS's table rather than its two calls: each pair (park row + cancel, unpark
 * + resume) must commit together. With two commits a crash in between strands a run (cancelled but
 * not parked, or unparked but never resumed), and a resume landing between a park's commit and
 * its cancel would be undone by that cancel. The statements mirror DBOS 5.3's `cancelWorkflows` /
 * `resumeWorkflows`; `run-parking.test.ts` runs a real DBOS through park → wake → finish so a DBOS
 * upgrade that changes them fails there.
 *
 * Lost wake-ups cannot happen: the park transaction first locks the run row, then looks for an
 * unconsumed message on the topic; a sender first commits its message (`DBOS.send`), then locks
 * the same row. Either the park sees the message (and does not park), or the sender's lock waits
 * for the park to commit and then finds it parked (and wakes it).
 */

/** The park threshold this process gives the runs it starts, in ms (recorded in their inputs; `DEFAULT_PARK_AFTER_MS` when not configured). */
export function parkThreshold(deps: Pick<EngineDeps, 'parkAfterMs'>): number {
  return deps.parkAfterMs ?? DEFAULT_PARK_AFTER_MS;
}

/** How a run's waits park, fixed when the run starts. */
export interface WaitParking {
  /** Waits with at least this long left park the run, in ms; 0 = never. */
  afterMs: number;
  /**
   * True: every wait records its deadline in a step (runs that recorded their threshold at start).
   * False: only waits of at least `afterMs` do, as runs started before then did; kept so they replay.
   */
  stepEveryWait: boolean;
}

/**
 * How a run's waits park: with the threshold recorded in its inputs, or, for a run started before
 * runs recorded one (`recorded` undefined), with the one it started with (`unrecordedParkAfterMs`).
 */
export function waitParking(deps: Pick<EngineDeps, 'parkAfterMs' | 'unrecordedParkAfterMs'>, recorded: number | undefined): WaitParking {
  return recorded !== undefined
    ? { afterMs: recorded, stepEveryWait: true }
    : { afterMs: deps.unrecordedParkAfterMs ?? parkThreshold(deps), stepEveryWait: false };
}

/** Name of the checkpointed step that records a parked wait's deadline (hidden in the run view). */
export const PARK_STEP = 'aios.park';

/**
 * Thrown out of a playbook body by a wait that parked the run: the execution ends here, the run is
 * not failed, and the workflow continues wherever it is woken. Never catch it in a playbook.
 *
 * It is DBOS's own cancellation error for this workflow, which is what a park is (the workflow is
 * set aside as CANCELLED): DBOS then skips recording an ERROR outcome (a transaction that would
 * only find the row CANCELLED and roll back) and ends the execution with one read of the row.
 */
export class RunParked extends DBOSErrors.DBOSWorkflowCancelledError {
  constructor(readonly runId: string) {
    super(runId);
    this.message = `run ${runId} parked until a message or its deadline`;
    this.name = 'RunParked';
  }
}

/** DBOS's schema in the application database (DBOS's default). */
const DBOS_SCHEMA = 'dbos';

/** What a park records: the wait's deadline, its topic, and what the run shows it waits for. */
export interface ParkSpec {
  until: Date;
  /** The message topic that wakes it early; null for a plain sleep. */
  topic: string | null;
  /** The DBOS function id of the wait's deadline step ({@link PARK_STEP}). */
  parkStep: number;
  /** `runs.waiting_for` while parked (the run's status becomes `waiting` in the same transaction). */
  waitingFor: string;
  /** True: `until` is a moment on the business clock (`EngineDeps.clock`), which the waker reads; else on the system clock. */
  onBusinessClock?: boolean;
}

/**
 * Parks the running workflow `runId` until `p.until` or a message on `p.topic`, in one transaction
 * of two statements: the first locks the run row (and marks it waiting and parked), the second,
 * with a snapshot taken after that lock, sets the DBOS workflow aside only if it may.
 * @returns false (nothing changed) when it must not park: a message on the topic is already
 *   waiting, an earlier execution already finished this wait (a replay after a crash), the run
 *   was cancelled by a person, or its DBOS workflow is no longer PENDING (taken over elsewhere).
 */
export async function parkRun(db: Db, runId: string, p: ParkSpec): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const run = await tx.updateTable('runs')
      .set({ parked_until: p.until, parked_topic: p.topic, parked_on_business_clock: p.onBusinessClock ?? false, status: 'waiting', waiting_for: p.waitingFor, updated_at: sql`now()` })
      .where('id', '=', runId).where('status', '<>', 'cancelled').returning('id').executeTakeFirst();
    if (!run) return false;
    // Not when a replay passes a wait that an earlier execution already finished (its receive and
    // later steps are recorded after the park step: the recorded results replay it), nor when the
    // message is already there.
    const messageWaiting = p.topic === null
      ? sql`false`
      : sql`exists (select 1 from ${sql.table(`${DBOS_SCHEMA}.notifications`)} where destination_uuid = ${runId} and topic = ${p.topic} and consumed = false)`;
    const set = await sql`update ${sql.table(`${DBOS_SCHEMA}.workflow_status`)}
      set status = 'CANCELLED', owner_xid = null, queue_name = null, deduplication_id = null, started_at_epoch_ms = null,
          updated_at = (extract(epoch from now()) * 1000)::bigint, completed_at = (extract(epoch from now()) * 1000)::bigint
      where workflow_uuid = ${runId} and status = 'PENDING'
        and not exists (select 1 from ${sql.table(`${DBOS_SCHEMA}.operation_outputs`)} where workflow_uuid = ${runId} and function_id > ${p.parkStep})
        and not ${messageWaiting}`.execute(tx);
    if (Number(set.numAffectedRows ?? 0) !== 1) throw new NotParked();
    return true;
  }).catch((err: unknown) => {
    if (err instanceof NotParked) return false;
    throw err;
  });
}

/** Rolls a park transaction back on purpose. */
class NotParked extends Error {}

/** DBOS's columns of a workflow put back on the run queue (as `resumeWorkflows` sets them). */
const REQUEUED = sql`status = 'ENQUEUED', owner_xid = null, queue_name = ${RUN_QUEUE}, recovery_attempts = 0,
  queue_partition_key = coalesce(queue_partition_key, (select r.tenant_id from runs r where r.id = workflow_uuid)),
  workflow_deadline_epoch_ms = null, deduplication_id = null, started_at_epoch_ms = null,
  updated_at = (extract(epoch from now()) * 1000)::bigint, completed_at = null`;

/** Re-enqueues parked workflows (in the transaction `tx`). */
async function requeue(tx: Db, runIds: string[]): Promise<void> {
  if (runIds.length === 0) return;
  await sql`update ${sql.table(`${DBOS_SCHEMA}.workflow_status`)} set ${REQUEUED}
    where workflow_uuid = any(${runIds}::text[]) and status = 'CANCELLED'`.execute(tx);
}

/**
 * Wakes `runId` if it is parked on `topic` (after a message on it was committed). A run parked on
 * another topic, or not parked, is left alone: it reads the message when it next waits on it.
 * @returns whether it was woken.
 */
export async function wakeOnMessage(db: Db, runId: string, topic: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    // Lock by id alone: a park in progress holds this row, and the lock waits for its commit and
    // then reads the parked row (a WHERE on the park columns would skip the uncommitted row).
    const run = await tx.selectFrom('runs').select(['parked_until', 'parked_topic', 'status']).where('id', '=', runId).forUpdate().executeTakeFirst();
    if (!run || run.parked_until === null || run.parked_topic !== topic || run.status === 'cancelled') return false;
    await tx.updateTable('runs').set({ parked_until: null, parked_topic: null }).where('id', '=', runId).execute();
    await requeue(tx, [runId]);
    return true;
  });
}

/**
 * Wakes up to `limit` parked runs whose deadline has passed (any process may call it; rows locked
 * by another waker are skipped): deadlines on the system clock against `now`, deadlines on the
 * business clock against `businessNow` (the same instant in production).
 * @returns the ids woken.
 */
export async function wakeDueRuns(db: Db, now: Date, businessNow: Date = now, limit = 500): Promise<string[]> {
  // One statement (atomic, one round trip: the pass runs every second in every working process).
  const due = await sql<{ id: string }>`with due as (
      update runs set parked_until = null, parked_topic = null, parked_on_business_clock = false
      where id in (select id from runs
        where parked_until <= greatest(${now}::timestamptz, ${businessNow}::timestamptz) and status <> 'cancelled'
          and parked_until <= case when parked_on_business_clock then ${businessNow}::timestamptz else ${now}::timestamptz end
        order by parked_until limit ${limit} for update skip locked)
      returning id),
    requeued as (update ${sql.table(`${DBOS_SCHEMA}.workflow_status`)} set ${REQUEUED}
      where workflow_uuid in (select id from due) and status = 'CANCELLED')
    select id from due`.execute(db);
  return due.rows.map((r) => r.id);
}

/**
 * Sends `msg` on `topic` to a run (`DBOS.send`, once per `idempotencyKey`) and wakes it if it is
 * parked on that topic. Every sender of run messages goes through here.
 */
export async function sendToRun(db: Db, runId: string, msg: unknown, topic: string, idempotencyKey: string): Promise<void> {
  await DBOS.send(runId, msg, topic, idempotencyKey);
  await wakeOnMessage(db, runId, topic);
}
