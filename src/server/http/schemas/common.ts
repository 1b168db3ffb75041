import { z } from '@hono/zod-openapi';

/** `{id}` in a path: an id of this business's records (another business's id is a 404). */
export const IdParam = z.object({ id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' } }) });

/**
 * A whole-number query parameter, `min..max` (`dflt` when left out). Validated by the handler (its
 * 400 names the range); the validator passes the text through, so the document says integer while
 * the handler reads `c.req.query(name)`.
 */
export function intQuery(min: number, max: number, dflt: number) {
  return z.string().optional().openapi({ type: 'integer', minimum: min, maximum: max, default: dflt, description: `whole number ${min}..${max} (default ${dflt})` } as never);
}

/** `?limit=`: how many rows, a whole number 1..500 (default 50). */
export const LimitQuery = intQuery(1, 500, 50);

/** A time as JSON writes it (ISO 8601, UTC). */
export const Time = z.string().openapi({ format: 'date-time' });

/** Arbitrary JSON object (a playbook's data, a proposal, provider echoes): its shape belongs to the thing that wrote it. */
export const JsonObject = z.record(z.string(), z.unknown());

/** The answer of a request that starts (or joins) a run: the policy decides what it does next. */
export const RunReceipt = z.object({
  signalId: z.string(), runId: z.string().nullable(), duplicate: z.boolean().openapi({ description: 'the idempotency key was seen before: the first run is returned' }),
  note: z.string(),
}).openapi('RunReceipt');
