import { z } from '@hono/zod-openapi';
import { Time } from './common.js';

/** A run of a playbook (a row of `runs`). */
export const RunSchema = z.object({
  id: z.string(), tenant_id: z.string(), playbook: z.string(), version: z.number().int(),
  status: z.enum(['running', 'waiting', 'completed', 'failed', 'cancelled']), mode: z.enum(['live', 'shadow']),
  trigger_type: z.string(), trigger_ref: z.string(), waiting_for: z.string().nullable(), summary: z.string().nullable(), error: z.string().nullable(),
  started_at: Time, updated_at: Time, finished_at: Time.nullable(),
  parked_until: Time.nullable().openapi({ description: 'Set while the run is parked (a long wait held in the database, not in memory): when it wakes if nothing arrives first.' }),
  parked_topic: z.string().nullable().openapi({ description: 'What wakes a parked run sooner (a reply, a decision); null for a plain wait.' }),
  parked_on_business_clock: z.boolean().openapi({ description: 'True: parked_until is a moment on the business clock (a wait until a time: the next reminder, a publish slot); false: the end of a span of real time (a reply wait). The same clock in production.' }),
}).openapi('Run');

/** One step of a run as the owner reads it. */
export const RunStepSchema = z.object({
  seq: z.number().int(), step_id: z.string(), status: z.enum(['done', 'failed', 'waiting']),
  detail: z.unknown().openapi({ description: 'what the step recorded (its shape is the step\'s own)' }),
  started_at: z.string().nullable(), finished_at: z.string().nullable(),
}).openapi('RunStep');

/** `POST /runs/{id}/retry`: where the failed run starts again. */
export const RetrySchema = z.object({ runId: z.string(), fromStep: z.number().int(), stepId: z.string().nullable(), error: z.string().nullable(), note: z.string() }).openapi('RunRetry');
