import { z } from '@hono/zod-openapi';
import { JsonObject, Time } from './common.js';

/** A signal (a row of `signals`): something AIOS noticed. */
export const SignalSchema = z.object({
  id: z.string(), tenant_id: z.string(), kind: z.string(), subject: z.string(), severity: z.string(),
  status: z.enum(['open', 'handling', 'snoozed', 'resolved', 'dismissed']), dedup_key: z.string(), data: JsonObject, event_id: z.string().nullable(),
  occurrences: z.number().int(), run_id: z.string().nullable(), dispatched_at: Time.nullable(), created_at: Time, updated_at: Time, resolved_at: Time.nullable(),
  snoozed_until: Time.nullable(), dismiss_reason: z.string().nullable(),
}).openapi('Signal');

/** `POST /signals/{id}/snooze` body: a length or a time. */
export const SnoozeBodySchema = z.union([z.object({ until: z.string().min(1) }).strict(), z.object({ for: z.string().min(1).openapi({ description: '30m, 4h, 2d, 1w' }) }).strict()]);
/** `POST /signals/{id}/dismiss` body. */
export const DismissBodySchema = z.object({ reason: z.string().max(500).optional() }).strict();
