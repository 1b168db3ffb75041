import { z } from '@hono/zod-openapi';
import { JsonObject, Time } from './common.js';

/** A connection of the business (never its credentials). */
export const ConnectionSchema = z.object({
  id: z.string(), tenant_id: z.string(), kind: z.string(), name: z.string(), cursor: JsonObject,
  status: z.enum(['ok', 'error', 'auth_failed', 'disabled']), last_sync_at: Time.nullable(), last_error: z.string().nullable(),
  failures: z.number().int(), next_retry_at: Time.nullable(), backlog: z.number().int(), created_at: Time, updated_at: Time, has_credentials: z.boolean(),
}).openapi('Connection');

/** `POST /connections` body: the kind, a name, and the credentials that kind needs. */
export const ConnectionBodySchema = z.object({ kind: z.string().optional(), name: z.string().optional(), credentials: z.unknown().optional() }).openapi({ description: '`aios connect <kind> --help` lists the credentials each kind needs' });

/** `POST /connections` answer. */
export const ConnectionCreatedSchema = z.object({ connection: z.object({ id: z.string(), kind: z.string(), name: z.string(), status: z.enum(['ok', 'error', 'auth_failed', 'disabled']) }) }).openapi('ConnectionCreated');

/** An item a connection could not process, with the reason. */
export const QuarantineItemSchema = z.object({
  id: z.string(), tenant_id: z.string(), connection_id: z.string().nullable(), source: z.string(), external_id: z.string(), reason: z.string(), sample: z.string().nullable(), created_at: Time,
}).openapi('QuarantineItem');

/** What a CSV import did (or, with `dryRun`, would do). */
export const ImportResultSchema = z.object({
  format: z.string(), dryRun: z.boolean(), total: z.number().int(), imported: z.number().int(), updated: z.number().int(), skipped: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), column: z.string(), problem: z.string() })), errorsTruncated: z.boolean(),
}).openapi('ImportResult');
