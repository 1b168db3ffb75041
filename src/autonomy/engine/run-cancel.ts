import { DBOS } from '@dbos-inc/dbos-sdk';
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { audit } from '../../records/audit.js';

/** What {@link cancelRun} did. */
export interface CancelResult {
  runId: string;
  /** The status the run had (`waiting` or `running`). */
  was: 'waiting' | 'running';
  /** Its approvals that were still pending and are now expired (no longer decidable). */
  approvalsExpired: number;
  /** Its outgoing messages not yet handed to a provider, now cancelled. */
  outboxCancelled: number;
}

/**
 * A person stops a waiting or running run. DBOS cancels the workflow (`DBOS.cancelWorkflow`, with
 * its child workflows): it is never resumed or recovered, and a body still executing stops at its
 * next step or wait. In the same transaction the `runs` row says `cancelled`, the run's pending
 * approvals expire, its queued messages are cancelled, and the signal it was handling is open again
 * (so the owner still sees what raised it). Audited as `run.cancelled`.
 * @throws NotFoundError for a run not of this tenant; ConflictError when it is already finished.
 */
export async function cancelRun(db: Db, tenantId: string, runId: string, actor: string): Promise<CancelResult> {
  const result = await db.transaction().execute(async (tx) => {
    const run = await tx.selectFrom('runs').select(['id', 'status', 'mode', 'trigger_type', 'trigger_ref']).where('tenant_id', '=', tenantId).where('id', '=', runId).forUpdate().executeTakeFirst();
    if (!run) throw new NotFoundError('run', runId);
    if (run.status !== 'waiting' && run.status !== 'running') {
      throw new ConflictError(`run ${runId} is ${run.status}; only a waiting or running run can be cancelled`, run.status === 'failed' ? 'Retry it instead (POST /api/v1/runs/<id>/retry), or leave it.' : 'Nothing to stop: it has finished.');
    }
    await tx.updateTable('runs').set({ status: 'cancelled', waiting_for: null, parked_until: null, parked_topic: null, finished_at: sql`now()`, updated_at: sql`now()`, summary: sql`coalesce(summary, ${`cancelled by ${actor}`})` }).where('id', '=', run.id).execute();
    const approvals = await tx.updateTable('approvals').set({ status: 'expired' }).where('tenant_id', '=', tenantId).where('run_id', '=', run.id).where('status', '=', 'pending').executeTakeFirst();
    const outbox = await tx.updateTable('outbox').set({ status: 'cancelled', last_error: `run cancelled by ${actor}` }).where('tenant_id', '=', tenantId).where('run_id', '=', run.id).where('status', '=', 'pending').executeTakeFirst();
    if (run.trigger_type === 'signal') {
      await tx.updateTable('signals').set({ status: 'open', updated_at: sql`now()` }).where('tenant_id', '=', tenantId).where('id', '=', run.trigger_ref).where('status', '=', 'handling').where('run_id', '=', run.id).execute();
    }
    const r: CancelResult = { runId: run.id, was: run.status, approvalsExpired: Number(approvals.numUpdatedRows), outboxCancelled: Number(outbox.numUpdatedRows) };
    await audit(tx, tenantId, actor, 'run.cancelled', run.id, { was: r.was, approvalsExpired: r.approvalsExpired, outboxCancelled: r.outboxCancelled });
    return r;
  });
  // After the commit: a body that wakes up first sees the row cancelled and leaves it so (playbook-host).
  if (await DBOS.getWorkflowStatus(runId)) await DBOS.cancelWorkflow(runId, { cancelChildren: true });
  return result;
}
