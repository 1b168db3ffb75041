import { z } from '@hono/zod-openapi';

export const AgencyConnectionSchema = z.object({
  id: z.string(), kind: z.string(), name: z.string(),
  status: z.string().openapi({ description: 'ok, error, auth_failed or disabled' }),
  ok: z.boolean(), lastError: z.string().nullable(), lastSyncAt: z.string().nullable(),
}).openapi('AgencyConnection');

export const AgencyBusinessSchema = z.object({
  tenantId: z.string(), slug: z.string(), name: z.string(),
  role: z.enum(['owner', 'staff', 'implementer']), timeZone: z.string(), currency: z.string(),
  runsThisWeek: z.number().int().openapi({ description: 'runs started since Monday 00:00 in the business\'s time zone' }),
  textsSentThisWeek: z.number().int(), emailsSentThisWeek: z.number().int(),
  aiCostCentsThisMonth: z.number().openapi({ description: 'model cost this local month, cents' }),
  hoursSavedThisMonth: z.number(),
  moneyRecoveredCentsThisMonth: z.number().int(),
  roiThisMonth: z.number().nullable().openapi({ description: 'value ÷ cost this month as the ledger summary computes it; null when the cost is 0' }),
  valueCentsThisMonth: z.number().int(), costCentsThisMonth: z.number().int(),
  connections: z.array(AgencyConnectionSchema), connectionsFailing: z.number().int(),
  phoneConfigured: z.boolean(), mailConfigured: z.boolean(),
  approvalsWaiting: z.number().int(), signalsOpen: z.number().int(),
}).openapi('AgencyBusiness');

export const AgencyListSchema = z.object({
  businesses: z.array(AgencyBusinessSchema),
  ms: z.number().openapi({ description: 'time the overview took on the server, ms' }),
}).openapi('AgencyList');

export const TemplateSchema = z.object({
  id: z.string(), title: z.string(), description: z.string(),
  knowledge: z.array(z.string()).openapi({ description: 'knowledge files it ships, drafts to fill in (not used for answers until draft: true is removed)' }),
}).openapi('BusinessTemplate');

export const NewBusinessBody = z.object({
  template: z.string().max(60).optional().openapi({ description: 'a template id (GET /agency/templates); or cloneFrom' }),
  cloneFrom: z.string().max(120).optional().openapi({ description: 'slug or id of a business where you are owner or implementer; or template' }),
  name: z.string().min(1).max(120),
  slug: z.string().min(1).max(60),
  phone: z.string().min(1).max(40).openapi({ description: 'the new business\'s own number, e.g. +14165550123' }),
  timeZone: z.string().min(1).max(60).optional().openapi({ description: 'IANA, e.g. America/Toronto; a clone keeps its source\'s when left out' }),
  ownerName: z.string().min(1).max(120).optional().openapi({ description: 'required for a template; a clone asks for it too' }),
  ownerEmail: z.string().email().max(254).optional(),
}).strict().openapi('NewBusiness');

export const CreatedBusinessSchema = z.object({
  business: z.object({ tenantId: z.string(), slug: z.string(), name: z.string() }),
  from: z.object({ template: z.string().nullable(), cloneFrom: z.string().nullable() }),
}).openapi('CreatedBusiness');

export const RefusedBusinessSchema = z.object({
  error: z.string(), message: z.string(), fix: z.string(),
  file: z.string().optional().openapi({ description: 'the file that did not validate (e.g. templates/plumber/tenant.yaml)' }),
  problems: z.array(z.object({ field: z.string(), problem: z.string() })).optional(),
}).openapi('BusinessRefused');
