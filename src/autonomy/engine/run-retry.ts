import { DBOS } from '@dbos-inc/dbos-sdk';
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { audit } from '../../records/audit.js';
import { RUN_QUEUE } from './run-queue.js';

/** What {@link retryRun} did. */
export interface RetryResult {
  runId: string;
  /** Position (DBOS function id) the run replays from: the failed step, or just after the last finished one. */
  fromStep: number;
  /** The step id retried, when a step failed (null when the body failed between steps). */
  stepId: string | null;
  /** Its last error. */
  error: string | null;
}

/**
 * Retries a failed run where it failed. The run keeps its id (so replies, decisions and child runs
 * still find it): DBOS rewinds the workflow to the failed step (`DBOS.rewindWorkflow`), dropping
 * that step and everything after it from the checkpoints; the steps before it are not re-run (their
 * recorded results are replayed), the failed step runs again with its retry policy. The run shows
 * `running` again at once; it ends `completed`, or `failed` again with the new error — a retry is
 * one more try asked for by a person, never an automatic loop. Audited as `run.retried`.
 * @throws NotFoundError for an unknown run; ConflictError when the run is not failed or is a shadow run.
 */
export async function retryRun(db: Db, tenantId: string, runId: string, actor: string): Promise<RetryResult> {
  const run = await db.selectFrom('runs').select(['id', 'status', 'mode', 'error']).where('tenant_id', '=', tenantId).where('id', '=', runId).executeTakeFirst();
  if (!run) throw new NotFoundError('run', runId);
  if (run.mode === 'shadow') throw new ConflictError(`run ${runId} is a shadow run`, 'Shadow runs are not kept; run the shadow again (aios shadow <playbook>).');
  if (run.status !== 'failed') throw new ConflictError(`run ${runId} is ${run.status}; only a failed run can be retried`, 'Wait for it to finish; see aios runs <id> for what it is doing.');
  const status = await DBOS.getWorkflowStatus(runId);
  if (!status) throw new ConflictError(`run ${runId} never started in the engine`, 'It is started again at the next start of AIOS (orphaned runs are resumed).');
  if (status.status !== 'ERROR') throw new ConflictError(`run ${runId}: the engine has it as ${status.status}`, 'Only runs the engine recorded as failed can be retried; restart AIOS if it is stuck.');
  const steps = (await DBOS.listWorkflowSteps(runId)) ?? [];
  const failed = steps.find((s) => s.error);
  const fromStep = failed ? failed.functionID : steps.length ? steps[steps.length - 1]!.functionID + 1 : 0;
  const stepError = failed?.error instanceof Error ? failed.error.message : failed?.error ? String(failed.error) : null;
  await db.updateTable('runs').set({ status: 'running', error: null, waiting_for: null, finished_at: null, updated_at: sql`now()` }).where('id', '=', runId).execute();
  await audit(db, tenantId, actor, 'run.retried', runId, { fromStep, stepId: failed?.name ?? null, error: run.error });
  // Back on the run queue in its business's partition (DBOS's default is its internal queue).
  await DBOS.rewindWorkflow(runId, { startStep: fromStep, queueName: RUN_QUEUE, queuePartitionKey: tenantId });
  return { runId, fromStep, stepId: failed?.name ?? null, error: stepError ?? run.error };
}
