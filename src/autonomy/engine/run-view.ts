import { DBOS } from '@dbos-inc/dbos-sdk';
import { PARK_STEP } from './run-parking.js';
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { RunStatus } from '../../store/schema.js';
import { localTimeWords } from '../../core/time-words.js';

/**
 * The product's view of runs. The `runs` table says what each run is and what it waits for; its
 * steps are read from DBOS's own checkpoints (never copied), so the view cannot disagree with
 * what recovery will replay.
 */
export interface RunStepView {
  /** Position of the checkpoint in the run (DBOS function id). */
  seq: number;
  /** The step id the playbook gave, or `wait` / `message` for DBOS's own waits (`DBOS.sleep`, `DBOS.recv`). */
  step_id: string;
  status: 'done' | 'failed' | 'waiting';
  /** The step's output; for a wait, a sentence in the business's local time ("waiting for quiet hours to end at 08:00"). */
  detail: unknown;
  started_at: string | null;
  finished_at: string | null;
}

/** What {@link runSteps} needs to put DBOS's waits in words. */
export interface RunWaitContext {
  /** The run's status and what it waits for (`runs.waiting_for`: "approval", "quiet hours", "reply from +1…"). */
  status: string;
  waitingFor: string | null;
  /** IANA time zone of the business, for local times. */
  timeZone: string;
  /** The business's locale (`tenant.yaml` `locale`): how its times are written. */
  locale?: string;
  now: Date;
}

const SLEEP = 'DBOS.sleep';
const RECV = 'DBOS.recv';

/** "waiting for quiet hours to end at 8:00 a.m.", "waiting for approval until 9:12 a.m.", … */
function waitWords(waitingFor: string, at: string, done: boolean): string {
  if (waitingFor === 'quiet hours') return done ? `held for quiet hours until ${at}` : `waiting for quiet hours to end at ${at}`;
  return done ? `waited for ${waitingFor} (limit ${at})` : `waiting for ${waitingFor} until ${at}`;
}

/** The deadline a wait checkpointed: a sleep's end (epoch ms) or a parked wait's `{ until }`. */
function waitDeadline(output: unknown): Date | null {
  if (typeof output === 'number') return new Date(output);
  const until = (output as { until?: unknown } | null)?.until;
  return typeof until === 'number' ? new Date(until) : null;
}

/**
 * The checkpointed steps of a run, oldest first. Empty when the run has not started yet. DBOS's
 * internal waits are translated: a `DBOS.sleep` becomes a `wait` whose detail says what it waits
 * for and until when (local time), a `DBOS.recv` a `message` (what arrived, or "nothing arrived").
 */
export async function runSteps(runId: string, ctx?: RunWaitContext): Promise<RunStepView[]> {
  const all = (await DBOS.listWorkflowSteps(runId)) ?? [];
  const ids = new Map(all.map((s) => [s.functionID, s.name]));
  // A parked wait's deadline step says what the run waits for only while nothing follows it.
  const steps = all.filter((s) => s.name !== PARK_STEP || !ids.has(s.functionID + 1));
  const last = steps.length ? steps[steps.length - 1]!.functionID : -1;
  return steps.map((s) => {
    const base = {
      seq: s.functionID,
      step_id: s.name,
      status: (s.error ? 'failed' : 'done') as RunStepView['status'],
      detail: s.error ? { error: s.error instanceof Error ? s.error.message : String(s.error) } : s.output,
      started_at: s.startedAtEpochMs ? new Date(s.startedAtEpochMs).toISOString() : null,
      finished_at: s.completedAtEpochMs ? new Date(s.completedAtEpochMs).toISOString() : null,
    };
    if (!ctx) return base;
    if (s.name === SLEEP || s.name === PARK_STEP) {
      // A receive's time limit is checkpointed as a sleep right after it (function id + 1).
      const forRecv = ids.get(s.functionID - 1) === RECV;
      const until = waitDeadline(s.output);
      const current = s.functionID === last && ctx.status === 'waiting' && !!ctx.waitingFor && !ids.has(s.functionID + 1);
      const what = current ? ctx.waitingFor! : forRecv ? 'an answer' : 'quiet hours';
      const at = until ? localTimeWords(until, ctx.timeZone, ctx.now, ctx.locale) : 'an unknown time';
      return { ...base, step_id: 'wait', status: current ? 'waiting' : base.status, detail: waitWords(what, at, !current) };
    }
    if (s.name === RECV) {
      return { ...base, step_id: 'message', detail: s.output === null || s.output === undefined ? 'nothing arrived before the time limit' : s.output };
    }
    return base;
  });
}

/**
 * Sets a run's status; `waitingFor` says what a waiting run waits for ("approval", "reply from +1…",
 * "quiet hours"). A cancelled run stays cancelled: its body may still reach a status change (or fail
 * with DBOS's cancellation error) after a person stopped it (`run-cancel.ts`).
 */
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
    .where('status', '<>', 'cancelled')
    .execute();
}
