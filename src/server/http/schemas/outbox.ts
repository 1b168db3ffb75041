import { z } from '@hono/zod-openapi';
import { JsonObject, Time } from './common.js';

/** A message AIOS queued or sent (a row of `outbox`); below admin, owner notices are redacted. */
export const OutboxEntrySchema = z.object({
  id: z.string(), tenant_id: z.string(), run_id: z.string().nullable(), step_id: z.string().nullable(), idempotency_key: z.string(),
  kind: z.string(), channel: z.string(), recipient: z.string(), payload: JsonObject,
  status: z.enum(['pending', 'sending', 'sent', 'failed', 'cancelled']), not_before: Time.nullable(), attempts: z.number().int(),
  provider_ref: z.string().nullable(), provider_response: z.unknown(), last_error: z.string().nullable(),
  created_at: Time, sending_at: Time.nullable(), sent_at: Time.nullable(),
  delivery_status: z.string().nullable(), delivery_error: z.string().nullable(), delivery_updated_at: Time.nullable(), segments: z.number().int().nullable(),
}).openapi('OutboxEntry');
