import { localParts, zonedTimeToUtc, DAY_MS } from '../../core/time-zone.js';
import type { ChaseStage } from './tables.js';

/** The tone of a reminder; escalates with the stage. */
export type ChaseTone = 'friendly' | 'firm' | 'final';

/** One stage of the sequence, relative to the due date. */
export interface StagePlan {
  stage: ChaseStage;
  /** When the stage is due (business time). */
  at: Date;
  tone: ChaseTone;
}

/** Days after the due date of each overdue stage. */
export const STAGE_OFFSET_DAYS: Record<Exclude<ChaseStage, 'before'>, number> = { due: 0, plus7: 7, plus14: 14, call: 30 };

/** The tone of each stage: friendly before and on the due date, firm at +7, final at +14. (+30 is the owner's call.) */
export const STAGE_TONE: Record<ChaseStage, ChaseTone> = { before: 'friendly', due: 'friendly', plus7: 'firm', plus14: 'final', call: 'final' };

/**
 * The chase's stages for an invoice due at `dueAt`: `daysBefore` days before, on the due date, +7,
 * +14 and +30 days, each at `sendHour`:00 local time in `timeZone` on that calendar day (the due
 * date is the local calendar day of `dueAt`). Pure.
 * @param daysBefore days before the due date for the first reminder (0 = no "before" stage).
 * @param sendHour local hour (0–23) at which reminders go out.
 */
export function chaseStages(dueAt: Date, timeZone: string, daysBefore: number, sendHour: number): StagePlan[] {
  const due = localParts(dueAt, timeZone);
  const dayAt = (offset: number): Date => {
    // Calendar arithmetic on the local date (noon UTC avoids DST edge cases), then the local hour.
    const d = new Date(Date.UTC(due.year, due.month - 1, due.day, 12) + offset * DAY_MS);
    return zonedTimeToUtc({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: sendHour, minute: 0 }, timeZone);
  };
  const plans: StagePlan[] = [];
  if (daysBefore > 0) plans.push({ stage: 'before', at: dayAt(-daysBefore), tone: STAGE_TONE.before });
  for (const s of ['due', 'plus7', 'plus14', 'call'] as const) plans.push({ stage: s, at: dayAt(STAGE_OFFSET_DAYS[s]), tone: STAGE_TONE[s] });
  return plans;
}

/**
 * Where a chase that starts at `now` begins: stages whose time has passed are missed, except the
 * latest of them, which is acted on at once (an invoice first seen 10 days overdue gets the +7
 * reminder now, then +14 and +30 on schedule). Returns the stages still to act on, in order, and
 * the ones skipped because the chase began after them.
 */
export function remainingStages(plans: StagePlan[], now: Date): { todo: StagePlan[]; missed: ChaseStage[] } {
  let firstTodo = plans.findIndex((p) => p.at.getTime() > now.getTime());
  if (firstTodo === -1) firstTodo = plans.length;
  const start = Math.max(0, firstTodo - 1);
  return { todo: plans.slice(start), missed: plans.slice(0, start).map((p) => p.stage) };
}
