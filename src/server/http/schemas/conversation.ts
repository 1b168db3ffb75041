import { z } from '@hono/zod-openapi';
import { Time } from './common.js';

/** A conversation with a customer on one channel. */
export const ConversationSchema = z.object({
  id: z.string(), contact_id: z.string(), channel: z.string(), address: z.string(), state: z.enum(['open', 'waiting_for_owner']),
  waiting_since: Time.nullable(), handoff_code: z.string().nullable(), last_message_at: Time, created_at: Time,
}).openapi('Conversation');

/** `POST /conversations/{id}/reply` body. */
export const ReplyBodySchema = z.object({ body: z.string(), idempotencyKey: z.string().min(1).max(200).optional() }).strict();

/** `POST /conversations/{id}/reply` answer: the `owner-reply` run sends it through the policy gate. */
export const ReplyReceiptSchema = z.object({ conversationId: z.string(), signalId: z.string(), runId: z.string().nullable(), duplicate: z.boolean(), note: z.string() }).openapi('ReplyReceipt');
