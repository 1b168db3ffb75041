import { z } from '@hono/zod-openapi';
import { JsonObject, Time } from './common.js';

/** What a proposed SMS text is billed as. */
export const SegmentCountSchema = z.object({
  encoding: z.enum(['GSM-7', 'UCS-2']), segments: z.number().int(), units: z.number().int(), unitsPerSegment: z.number().int(),
  ucs2Chars: z.array(z.string()).openapi({ description: 'the characters that force UCS-2' }),
}).openapi('SegmentCount');

/** A part of a proposal that came from outside the business (never instructions). */
export const UntrustedPartSchema = z.object({ label: z.string(), text: z.string() });

/** An approval as `GET /approvals` lists it. */
export const ApprovalSchema = z.object({
  id: z.string(), run_id: z.string(), step_id: z.string(), action_kind: z.string(), recipient: z.string().nullable(),
  proposal: JsonObject, reasons: z.array(z.unknown()), status: z.enum(['pending', 'approved', 'rejected', 'expired']),
  deadline: Time, decided_by: z.string().nullable(), decided_at: Time.nullable(), edits: JsonObject.nullable(), reason: z.string().nullable(),
  created_at: Time, short_code: z.string().nullable(), untrusted: z.array(UntrustedPartSchema),
  segments: SegmentCountSchema.nullable().openapi({ description: 'for a proposed SMS, what it would be billed as' }),
}).openapi('Approval');

/** `POST /approvals/{id}/approve|reject` body: an edited text to approve, or a reason to reject. */
export const DecideBodySchema = z.object({ body: z.string().optional(), reason: z.string().optional() }).strict();

/** The decided approval. */
export const DecisionSchema = z.object({
  approval: z.object({ id: z.string(), status: z.enum(['pending', 'approved', 'rejected', 'expired']), decided_by: z.string().nullable(), decided_at: Time.nullable(), edits: JsonObject.nullable(), reason: z.string().nullable() }),
}).openapi('ApprovalDecision');
