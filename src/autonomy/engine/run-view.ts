import { DBOS } from '@dbos-inc/dbos-sdk';
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { RunStatus } from '../../store/schema.js';

/**
 * The product's view of runs. The `runs` table says what each run is and what it waits for; its
 * steps are read from DBOS's own checkpoints (never copied), so the view cannot disagree with
 * what recovery will replay.
 */
export interface RunStepView {
  /** Position of the checkpoint in the run (DBOS function id). */
  seq: number;
  /** The step id the playbook gave, or a DBOS operation (`DBOS.recv`, `DBOS.sleep`). */
  step_id: string;
  status: 'done' | 'failed';
  detail: unknown;
  started_at: string | null;
  finished_at: string | null;
}

/** The checkpointed steps of a run, oldest first. Empty when the run has not started yet. */
export async function runSteps(runId: string): Promise<RunStepView[]> {
  const steps = (await DBOS.listWorkflowSteps(runId)) ?? [];
  return steps.map((s) => ({
    seq: s.functionID,
    step_id: s.name,
    status: s.error ? 'failed' : 'done',
    detail: s.error ? { error: s.error instanceof Error ? s.error.message : String(s.error) } : s.output,
    started_at: s.startedAtEpochMs ? new Date(s.startedAtEpochMs).toISOString() : null,
    finished_at: s.completedAtEpochMs ? new Date(s.completedAtEpochMs).toISOString() : null,
  }));
}

/** Sets a run's status; `waitingFor` says what a waiting run waits for ("approval", "reply from +1…", "quiet hours"). */
export async function setRunStatus(db: Db, runId: string, status: RunStatus, extra: { waitingFor?: string | null; summary?: string; error?: string } = {}): Promise<void> {
  const finished = status === 'completed' || status === 'failed' || status === 'cancelled';
  await db
    .updateTable('runs')
    .set({
      status,
      waiting_for: extra.waitingFor ?? null,
      ...(extra.summary !== undefined ? { summary: extra.summary } : {}),
      ...(extra.error !== undefined ? { error: extra.error } : {}),
      updated_at: sql`now()`,
      ...(finished ? { finished_at: sql`now()` } : {}),
    })
    .where('id', '=', runId)
    .execute();
}
