import { z } from '@hono/zod-openapi';
import { AUDIT_KEYS } from '../../leverage/audit/questions.js';

/** Response schemas of the audit routes (`audit-routes.ts`). Money in dollars, time in hours. */
const Key = z.enum(AUDIT_KEYS);
const Window = z.object({ since: z.string(), until: z.string() });

export const AuditInputSchema = z.object({
  key: Key, label: z.string(), unit: z.string(), value: z.number(),
  source: z.enum(['measured', 'answered', 'assumed']).openapi({ description: 'measured from history (wins over an answer), answered by the owner, or assumed (default by trade)' }),
  basis: z.string(), window: Window.optional(),
}).openapi('AuditInput');

export const ScoredEntrySchema = z.object({
  rank: z.number().int(), id: z.string(), title: z.string(), available: z.boolean(), saves: z.string(),
  impactPerMonth: z.number().openapi({ description: 'dollars per month: hours saved × hourly value + revenue recovered' }),
  hoursPerMonth: z.number(), revenuePerMonth: z.number(), runsPerMonth: z.number(),
  effort: z.object({ score: z.number(), missingConnections: z.array(z.string()), setupSteps: z.array(z.string()), risk: z.enum(['low', 'medium', 'high']), riskWhy: z.string() }),
  priority: z.number().openapi({ description: 'impactPerMonth ÷ effort score' }),
  reasoning: z.array(z.string()), assumed: z.array(Key),
}).openapi('BlueprintEntry');

export const BlueprintSchema = z.object({
  computedAt: z.string(), inputs: z.array(AuditInputSchema), ranked: z.array(ScoredEntrySchema),
  supporting: z.array(z.object({ id: z.string(), title: z.string(), partOf: z.string() })),
  assumptions: z.array(z.string()), unmeasured: z.array(z.string()),
  totals: z.object({ impactPerMonth: z.number(), hoursPerMonth: z.number() }),
}).openapi('Blueprint');

export const AppliedSchema = z.object({ rank: z.number().int(), playbookId: z.string(), mode: z.enum(['shadow', 'live']), why: z.string(), connect: z.array(z.string()) }).openapi('AppliedPlaybook');

export const AuditSchema = z.object({
  id: z.string(), createdAt: z.string(), createdBy: z.string(), answers: z.record(z.string(), z.number()), blueprint: BlueprintSchema,
  applied: z.array(AppliedSchema).nullable(), appliedAt: z.string().nullable(), measuredWindow: Window,
}).openapi('Audit');

export const MeasuredSchema = z.object({
  window: Window,
  values: z.record(z.string(), z.object({ value: z.number(), basis: z.string(), window: Window })),
  unmeasured: z.array(z.string()),
  questions: z.array(z.object({ key: Key, label: z.string(), unit: z.string(), max: z.number(), measurable: z.boolean() })),
  defaults: z.object({ name: z.string(), values: z.record(z.string(), z.number()) }),
}).openapi('AuditMeasuredInputs');

export const ResultSchema = z.object({
  rank: z.number().int(), playbookId: z.string(), title: z.string(), mode: z.enum(['shadow', 'live']), days: z.number().int(),
  estimate: z.object({ runsPerMonth: z.number(), hoursPerMonth: z.number(), impactPerMonth: z.number() }),
  shadow: z.object({ signalsFound: z.number(), runsPerMonth: z.number(), hoursPerMonth: z.number(), wouldSend: z.number(), wouldAskOwner: z.number(), notes: z.array(z.string()) }),
  liveRuns: z.number().int(), verdict: z.string(),
}).openapi('AuditResult');

export const ErrorSchema = z.object({ error: z.string(), message: z.string(), fix: z.string() }).openapi('AuditError');
