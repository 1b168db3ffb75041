import { z } from '@hono/zod-openapi';
import { Time } from './common.js';

/** A ledger entry (a row of `ledger`); numeric columns are the decimal text PostgreSQL returns. */
export const LedgerEntrySchema = z.object({
  id: z.string(), tenant_id: z.string(), run_id: z.string().nullable(), outbox_id: z.string().nullable(), category: z.string(),
  minutes_saved: z.string().openapi({ description: 'minutes, decimal text' }), value_cents: z.string().openapi({ description: 'cents, decimal text' }),
  ai_cost_micros: z.string().openapi({ description: 'millionths of the currency unit, decimal text' }), response_ms: z.string().nullable().openapi({ description: 'ms, decimal text' }),
  note: z.string().nullable(), created_at: Time,
}).openapi('LedgerEntry');

/** What AIOS did for the business, summed over the whole ledger, and the texts it sent. */
export const LedgerTotalsSchema = z.object({
  entries: z.number().int(), minutesSaved: z.number().openapi({ description: 'minutes' }), valueCents: z.number().openapi({ description: 'cents' }),
  aiCostMicros: z.number().openapi({ description: 'millionths of the currency unit' }), medianResponseMs: z.number().nullable().openapi({ description: 'ms' }),
  smsSent: z.number().int(), smsSegments: z.number().int(), smsCostMicros: z.number().openapi({ description: 'estimated, millionths of the currency unit' }),
}).openapi('LedgerTotals');

const SpeedSample = z.object({ count: z.number().int(), p50Ms: z.number().nullable().openapi({ description: 'median ms' }) });

/** `GET /status`: the business and a count of everything. */
export const StatusSchema = z.object({
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string(), timeZone: z.string(), phone: z.string() }),
  sms: z.enum(['twilio', 'sandbox']),
  signals: z.record(z.string(), z.number().int()).openapi({ description: 'count by status' }),
  pendingApprovals: z.number().int(),
  runs: z.record(z.string(), z.number().int()).openapi({ description: 'count by status' }),
  ledger: LedgerTotalsSchema,
  speedToLead: z.object({ before: SpeedSample, after: SpeedSample }),
}).openapi('Status');
