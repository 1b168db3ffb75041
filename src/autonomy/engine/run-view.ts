import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { RunStatus } from '../../store/schema.js';

/**
 * The product's view of runs (tables `runs`, `run_steps`), written beside DBOS's own checkpoints so
 * that people can read what a run did without knowing DBOS. Writes here are idempotent: a step
 * replayed after a crash rewrites the same row.
 */
export async function recordStep(db: Db, tenantId: string, runId: string, stepId: string, seq: number, status: 'done' | 'failed' | 'waiting', detail: unknown): Promise<void> {
  const json = detail === undefined ? null : JSON.stringify(detail);
  await db
    .insertInto('run_steps')
    .values({ tenant_id: tenantId, run_id: runId, step_id: stepId, seq, status, detail: json, finished_at: status === 'waiting' ? null : new Date() })
    .onConflict((oc) => oc.columns(['run_id', 'step_id']).doUpdateSet({ status, detail: json, finished_at: status === 'waiting' ? null : new Date() }))
    .execute();
}

/** Sets a run's status; `waitingFor` says what a waiting run waits for ("approval", "reply", "quiet hours"). */
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
