import { z } from '@hono/zod-openapi';
import { JsonObject } from './common.js';

/** A playbook with its settings and its runs of the last 30 days. */
export const PlaybookSchema = z.object({
  id: z.string(), title: z.string(), version: z.number().int(), trigger: z.unknown().openapi({ description: 'what starts it (a signal kind, a schedule)' }),
  enabled: z.boolean(), settings: JsonObject, minutesPerRun: z.number().openapi({ description: 'minutes' }),
  runs30d: z.object({ total: z.number().int() }).catchall(z.number().int()).openapi({ description: 'total and count by status' }),
}).openapi('Playbook');

/** A playbook's settings after a change. */
export const PlaybookSettingsSchema = z.object({ playbook: z.object({ id: z.string(), enabled: z.boolean(), settings: JsonObject }) }).openapi('PlaybookSettings');

/** `POST /playbooks/{id}/run` body. */
export const RunNowBodySchema = z.object({ subject: z.string().min(1).max(300), data: JsonObject.default({}) }).strict();
/** `POST /playbooks/{id}/shadow` body. */
export const ShadowBodySchema = z.object({
  since: z.string().default('30d'), until: z.string().optional(), limit: z.number().int().min(1).max(1000).optional(), settings: JsonObject.optional(),
}).strict();

/** What a shadow run would have done (nothing was sent or kept). */
export const ShadowReportSchema = z.object({
  playbook: z.object({ id: z.string(), version: z.number().int(), title: z.string() }), tenantId: z.string(), timeZone: z.string(), since: z.string(), until: z.string(),
  trigger: z.record(z.string(), z.string()), signalsFound: z.number().int(), runs: z.array(JsonObject), wouldSend: z.array(JsonObject),
  wouldAskOwner: z.array(z.object({ runId: z.string(), approvalId: z.string(), actionKind: z.string(), recipient: z.string().nullable(), reasons: z.array(z.unknown()), proposal: JsonObject })),
  wouldRaise: z.array(z.object({ runId: z.string(), kind: z.string(), subject: z.string(), runIds: z.array(z.string()) })),
  wouldMessage: z.array(z.object({ runId: z.string(), toRun: z.string(), topic: z.string() })), wouldChange: z.array(JsonObject),
  ledger: z.array(z.object({ runId: z.string(), category: z.string(), minutesSaved: z.number(), note: z.string().nullable() })),
  minutesSaved: z.number(), minutesIfEveryRunCounts: z.number(), refusedChannelCalls: z.array(z.object({ channel: z.string(), to: z.string() })), notes: z.array(z.string()),
}).openapi('ShadowReport');

/** `POST /playbooks/{id}/run` answer. */
export const RunStartedSchema = z.object({ signalId: z.string(), runId: z.string(), note: z.string() }).openapi('RunStarted');
