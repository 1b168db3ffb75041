import { z } from '@hono/zod-openapi';
import { Time } from './common.js';

/** A deal (a row of `deals`); `value_cents` is the decimal text PostgreSQL returns for a bigint. */
export const DealSchema = z.object({
  id: z.string(), tenant_id: z.string(), contact_id: z.string(), title: z.string(), stage: z.string(),
  value_cents: z.string().nullable().openapi({ description: 'cents, as decimal text' }), currency: z.string(), source: z.string().nullable(),
  last_activity_at: Time, created_at: Time, stage_changed_at: Time,
}).openapi('Deal');
