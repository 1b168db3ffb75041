import type { Db } from '../store/db.js';
import { newId } from '../core/ids.js';
import { BudgetExhaustedError } from './errors.js';

/** One model call as the ledger records it. */
export interface AiCallRecord {
  tenantId: string;
  /** What the call was for (`draft_reply`, `classify_lead`); the ledger category is `ai.<purpose>`. */
  purpose: string;
  /** `provider:model`. */
  model: string;
  /** Prompt tokens over all attempts (count). */
  inputTokens: number;
  /** Completion tokens over all attempts (count). */
  outputTokens: number;
  /** Cost in micro-dollars (1 USD = 1,000,000). */
  costMicros: number;
  /** Wall-clock time of the whole call including retries, in milliseconds. */
  latencyMs: number;
  /** HTTP requests made (count). */
  attempts: number;
  /** `ok`, or the error code the call ended with (`transient`, `ai_invalid_output`, …). */
  outcome: string;
  /** The playbook run that made the call, if any; kept in the note (see {@link recordAiCall}). */
  runId?: string;
}

/** The ledger category for a purpose: `ai.` + the purpose reduced to `[a-z0-9_.-]`. */
export function aiCategory(purpose: string): string {
  return `ai.${purpose.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_') || 'call'}`;
}

/**
 * Writes one ledger row for one model call. `run_id` stays null because the ledger is unique on
 * (tenant, run, category) and a run may call the model for the same purpose more than once; the
 * run id goes into the note instead. `at` is the call's time (from the injected clock).
 * @returns the ledger row id.
 */
export async function recordAiCall(db: Db, rec: AiCallRecord, at: Date): Promise<string> {
  const id = newId('led');
  const note = [
    `model=${rec.model}`,
    `in=${rec.inputTokens}`,
    `out=${rec.outputTokens}`,
    `attempts=${rec.attempts}`,
    `outcome=${rec.outcome}`,
    ...(rec.runId ? [`run=${rec.runId}`] : []),
  ].join(' ');
  await db
    .insertInto('ledger')
    .values({
      id,
      tenant_id: rec.tenantId,
      run_id: null,
      category: aiCategory(rec.purpose),
      ai_cost_micros: rec.costMicros,
      response_ms: Math.round(rec.latencyMs),
      note,
      created_at: at,
    })
    .execute();
  return id;
}

/** The budget month of an instant, in UTC: `YYYY-MM`. */
export function monthKey(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** AI cost recorded for the tenant in the UTC calendar month containing `at`, in micro-dollars. */
export async function monthSpendMicros(db: Db, tenantId: string, at: Date): Promise<number> {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  const row = await db
    .selectFrom('ledger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('ai_cost_micros'), eb.lit(0)).as('spent'))
    .where('tenant_id', '=', tenantId)
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .executeTakeFirst();
  return Number(row?.spent ?? 0);
}

/**
 * Checks the tenant's monthly AI budget before a call. When this month's spend has reached
 * `budgetMicros`, raises an `ai_budget_exhausted` signal (once per month: deduplicated on
 * `ai_budget_exhausted:YYYY-MM`) so the owner learns AIOS went offline, and throws.
 *
 * Not a lock: calls running concurrently may each pass and overshoot by about one call each.
 * @throws BudgetExhaustedError
 */
export async function assertWithinBudget(db: Db, tenantId: string, budgetMicros: number, at: Date): Promise<void> {
  const spent = await monthSpendMicros(db, tenantId, at);
  if (spent < budgetMicros) return;
  const month = monthKey(at);
  await db
    .insertInto('signals')
    .values({
      id: newId('sig'),
      tenant_id: tenantId,
      kind: 'ai_budget_exhausted',
      subject: month,
      severity: 'high',
      dedup_key: `ai_budget_exhausted:${month}`,
      data: JSON.stringify({ spentMicros: spent, budgetMicros }),
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing())
    .execute();
  throw new BudgetExhaustedError(tenantId, month, spent, budgetMicros);
}
