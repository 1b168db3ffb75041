import type { z } from 'zod';
import type { RunContext } from './run-context.js';

/** What starts a playbook: a signal kind raised by a watcher, or an event type from a connector. */
export type PlaybookTrigger = { signal: string } | { event: string };

/** What a run of a playbook ended with, shown to people in `aios runs`. */
export interface RunOutcome {
  /** One line for people, e.g. "texted +14165550100; caller replied". */
  summary: string;
  /** True when the triggering signal is dealt with and can be resolved. */
  resolved?: boolean;
}

/** The input a triggered run receives. */
export interface TriggerInput {
  type: 'signal' | 'event';
  /** Id of the signal or event row. */
  id: string;
  kind: string;
  subject: string;
  data: Record<string, unknown>;
  /** When the triggering thing happened (ISO 8601). */
  occurredAt: string;
}

/**
 * A playbook: a durable, versioned procedure that does one recurring job.
 * - `version`: bump it whenever the sequence of step ids changes. Runs in flight finish on the
 *   version they started with; old versions stay registered until drained.
 * - `minutesPerRun`: minutes a person would spend doing this by hand (used by the ledger).
 * - `settings`: zod schema of the tenant's settings for this playbook (`tenant.yaml`, `playbooks.<id>`).
 */
export interface Playbook<S extends z.ZodType = z.ZodType> {
  id: string;
  version: number;
  title: string;
  trigger: PlaybookTrigger;
  settings: S;
  minutesPerRun: number;
  run(ctx: RunContext<z.infer<S>>, input: TriggerInput): Promise<RunOutcome>;
}

/** Declares a playbook. Validates the declaration eagerly so mistakes fail at start-up. */
export function definePlaybook<S extends z.ZodType>(def: Playbook<S>): Playbook<S> {
  if (!/^[a-z][a-z0-9-]{2,60}$/.test(def.id)) throw new Error(`playbook id "${def.id}" must be kebab-case`);
  if (!Number.isInteger(def.version) || def.version < 1) throw new Error(`playbook ${def.id}: version must be a positive integer`);
  if (!(def.minutesPerRun >= 0)) throw new Error(`playbook ${def.id}: minutesPerRun must be >= 0`);
  return def;
}

/** The DBOS workflow name of a playbook version, e.g. `playbook:missed-call-text-back@1`. */
export function workflowName(pb: { id: string; version: number }): string {
  return `playbook:${pb.id}@${pb.version}`;
}
