import { z } from '@hono/zod-openapi';
import { KNOWLEDGE_KINDS } from '../../../knowledge/types.js';

const Language = z.enum(['en', 'fr']);

/** A passage of the knowledge folder matching a search. */
export const SearchHitSchema = z.object({
  chunkId: z.string(), file: z.string(), headingPath: z.string(), kind: z.enum(KNOWLEDGE_KINDS), excerpt: z.string(), score: z.number(), language: z.enum(['english', 'french']),
}).openapi('SearchHit');

/** Claims of a draft the knowledge does not support. */
export const GroundednessSchema = z.object({ grounded: z.boolean(), unsupported: z.array(z.object({ claim: z.string(), reason: z.string() })) }).openapi('Groundedness');

/** An answer from the knowledge, with its citations (or `unknown`, recorded as a gap). */
export const AnswerSchema = z.object({
  status: z.enum(['answered', 'unknown']), text: z.string(),
  citations: z.array(z.object({ file: z.string(), headingPath: z.string(), excerpt: z.string(), url: z.string().nullable() })),
  confidence: z.number(), language: Language, gapId: z.string().nullable(), grounding: GroundednessSchema.nullable(),
}).openapi('Answer');

/** A question the knowledge could not answer. */
export const GapSchema = z.object({
  id: z.string(), question: z.string(), normalized: z.string(), language: Language, status: z.enum(['open', 'answered']), occurrences: z.number().int(),
  createdAt: z.string(), lastAskedAt: z.string(), answeredAt: z.string().nullable(), answerFile: z.string().nullable(),
}).openapi('KnowledgeGap');

/** What a sync of the knowledge folder did. */
export const SyncResultSchema = z.object({
  stats: z.object({
    added: z.number().int(), changed: z.number().int(), unchanged: z.number().int(), moved: z.number().int(), deleted: z.number().int(), failed: z.number().int(),
    skipped: z.number().int(), parsed: z.number().int(), files: z.number().int(), bytes: z.number().int(), ms: z.number().openapi({ description: 'ms' }),
  }),
  failures: z.array(z.object({ file: z.string(), reason: z.string() })),
  expired: z.array(z.object({ file: z.string(), validUntil: z.string() })),
}).openapi('KnowledgeSync');

/** A fact read from the knowledge (a price, the hours, the service area…). */
export const FactSchema = z.object({
  id: z.string(), type: z.enum(['price', 'service_area', 'hours', 'booking_link', 'payment_terms', 'phone', 'email', 'other']), key: z.string(), value: z.string(),
  service: z.string().nullable(), amountCents: z.number().int().nullable(), currency: z.string().nullable(), unit: z.string().nullable(), file: z.string(), validUntil: z.string().nullable(),
}).openapi('KnowledgeFact');

/** `POST /knowledge/gaps/{id}/answer` answer: the gap, the FAQ file written and the sync that indexed it. */
export const GapAnsweredSchema = z.object({ gap: GapSchema, file: z.string(), sync: SyncResultSchema }).openapi('GapAnswered');
