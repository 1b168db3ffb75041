import { z } from '@hono/zod-openapi';
import { LEDGER_SUMMARY_MAX_WEEKS } from '../../../leverage/ledger-summary.js';

const Basis = z.enum(['measured', 'answered', 'assumed']).describe('measured from history, answered (set) by the owner, or assumed (a stated default)');
const Figure = z.object({ value: z.number(), basis: Basis, source: z.string().describe('how it was reached, in words') });
const Count = z.number().int().nonnegative();
const Speed = z.object({ count: Count, p50Ms: z.number().nullable().describe('median first reply, ms (null: nothing measured)'), basis: z.literal('measured') });
const Minutes = z.object({ category: z.string(), minutes: z.number(), source: z.string(), basis: z.enum(['answered', 'assumed']) });
const Input = z.object({ value: z.number(), basis: Basis, source: z.string() });

/** `GET /api/v1/ledger/summary` (see `src/leverage/ledger-summary.ts`). */
export const LedgerSummarySchema = z.object({
  period: z.object({ since: z.string(), until: z.string(), weeks: Count, days: z.number(), timeZone: z.string(), currency: z.string() }),
  totals: z.object({
    actions: Count,
    hoursSaved: Figure,
    money: z.object({
      invoices: z.object({ count: Count, cents: z.number(), basis: z.literal('measured'), source: z.string() }),
      jobs: z.object({ count: Count, cents: z.number(), averageJobValueCents: z.number(), basis: Basis, source: z.string() }),
      totalCents: Figure,
    }),
    valueCents: Figure.describe('hours saved × hourly value + money recovered, cents'),
    aiCostCents: Figure,
    runningCostCents: Figure,
    costCents: Figure,
    roi: z.object({ value: z.number().nullable(), basis: Basis, source: z.string(), reason: z.string().nullable().describe('why value is null (cost 0)') }),
    speedToLead: z.object({ before: Speed, after: Speed }),
  }),
  byCategory: z.array(z.object({ category: z.string(), actions: Count, minutesPerAction: z.number().nullable(), minutesBasis: Basis, minutesSource: z.string(), hoursSaved: z.number() })),
  settings: z.object({ minutes: z.array(Minutes), hourlyValue: Input, averageJobValue: Input, runningCostCentsPerMonth: Input }),
  weekly: z.array(z.object({
    week: z.string().describe('the local Monday, YYYY-MM-DD'), since: z.string(), until: z.string(), actions: Count, hoursSaved: z.number(),
    responseP50Ms: z.object({ before: z.number().nullable(), after: z.number().nullable() }),
    recoveredCents: z.number(), invoicesPaid: Count, invoiceCents: z.number(), jobsBooked: Count, jobCents: z.number(),
    aiCostCents: z.number(), runningCostCents: z.number(), costCents: z.number(), valueCents: z.number(),
  })),
  canEdit: z.boolean().describe('whether this caller may change the ROI numbers (admin scope: owners and implementers)'),
});

export const SummaryQuery = z.object({
  weeks: z.coerce.number().int().min(1).max(LEDGER_SUMMARY_MAX_WEEKS).default(12).openapi({ description: `local weeks ending with this one (1–${LEDGER_SUMMARY_MAX_WEEKS}, default 12)` }),
});

/** `PATCH /api/v1/ledger/roi`: each field given replaces tenant.yaml `roi:`'s; null puts the default back. */
export const RoiPatch = z.object({
  minutes: z.record(z.string(), z.number().min(0).max(480).nullable()).optional().describe('minutes per action by ledger category; null = the default'),
  hourlyValue: z.number().min(0).max(100_000).nullable().optional().describe("the owner's hour, currency units"),
  runningCostCentsPerMonth: z.number().int().min(0).max(100_000_000).nullable().optional().describe('running AIOS, cents a month'),
}).strict();
export type RoiPatchT = z.infer<typeof RoiPatch>;

export const RoiPatchResult = z.object({ settings: LedgerSummarySchema.shape.settings, changed: z.array(z.string()) });
