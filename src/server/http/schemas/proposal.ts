import { z } from '@hono/zod-openapi';
import { Time } from './common.js';

/** A drafted proposal (quote), without its PDF. */
export const ProposalSchema = z.object({
  id: z.string(), deal_id: z.string(), run_id: z.string(), version: z.number().int(),
  status: z.enum(['draft', 'approved', 'sent', 'rejected', 'expired', 'failed']), total_cents: z.number().openapi({ description: 'cents' }), currency: z.string(),
  line_items: z.array(z.object({
    description: z.string(), quantity: z.number().int(), unitCents: z.number().int(), totalCents: z.number().int(), currency: z.string(), unit: z.string().nullable(), factId: z.string(), file: z.string(),
  })),
  unpriced: z.array(z.string()), recipient: z.string().nullable(), approved_by: z.string().nullable(), approved_at: Time.nullable(), sent_at: Time.nullable(),
  error: z.string().nullable(), created_at: Time, markdown: z.string(),
}).openapi('Proposal');

/** `POST /deals/{id}/proposal` body. */
export const ProposalRequestSchema = z.object({ notes: z.string().max(4000).optional().openapi({ description: 'what to quote' }), idempotencyKey: z.string().max(200).optional() }).strict();
