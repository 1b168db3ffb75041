import { z } from '@hono/zod-openapi';
import { Time } from './common.js';

/** A contact (a row of `contacts`). */
export const ContactSchema = z.object({
  id: z.string(), tenant_id: z.string(), name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(), source: z.string().nullable(),
  opted_out_at: Time.nullable(), created_at: Time, updated_at: Time,
  name_source: z.string().nullable().openapi({ description: 'owner, import, form, caller_id, email, visitor' }), name_verified: z.boolean(), review_opt_out: z.boolean(),
}).openapi('Contact');

/** A message of a contact's conversations, oldest first. */
export const ContactMessageSchema = z.object({
  id: z.string(), channel: z.string(), direction: z.enum(['inbound', 'outbound']), body: z.string().openapi({ description: 'inbound bodies came from outside the business' }),
  created_at: Time, run_id: z.string().nullable(),
}).openapi('ContactMessage');

/** `PATCH /contacts/{id}` body. */
export const ContactPatchSchema = z.object({ reviewOptOut: z.boolean() }).strict();
