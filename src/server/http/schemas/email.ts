import { z } from '@hono/zod-openapi';
import { Time } from './common.js';
import { TRIAGE_CATEGORIES } from '../../../awareness/email-triage/categories.js';

const Source = z.enum(['classifier', 'model', 'owner']);

/** A triaged email. */
export const TriagedEmailSchema = z.object({
  id: z.string(), from: z.string(), subject: z.string().nullable(), category: z.enum(TRIAGE_CATEGORIES), reason: z.string(), source: Source,
  confidence: z.number(), messageId: z.string().nullable(), runId: z.string().nullable(), receivedAt: Time,
}).openapi('TriagedEmail');

/** `POST /emails/{id}/category` answer. */
export const RelabelSchema = z.object({
  email: z.object({ id: z.string(), category: z.enum(TRIAGE_CATEGORIES), source: Source, reason: z.string() }),
  previous: z.string(), changed: z.boolean(), runId: z.string().nullable(),
}).openapi('EmailRelabel');
