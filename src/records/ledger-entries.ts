import type { Db } from '../store/db.js';
import { newId } from '../core/ids.js';

/** One line of value: what AIOS did and what it was worth. */
export interface LedgerEntryInput {
  tenantId: string;
  runId: string | null;
  outboxId?: string | null;
  /** What kind of work, e.g. `missed_call_text_back`. One entry per run and category. */
  category: string;
  /** Minutes of a person's time the work saved. */
  minutesSaved?: number;
  /** Money attributed, in integer cents of the tenant's currency. */
  valueCents?: number;
  /** Model cost in micro-dollars (1e-6 USD). */
  aiCostMicros?: number;
  /** Time from the triggering event to the response leaving, in milliseconds. */
  responseMs?: number | null;
  note?: string;
  /** When the work happened (the service clock); the database's now() when absent. */
  at?: Date;
}

/** Writes a ledger entry once per (tenant, run, category); a replayed step does not double count. */
export async function recordLedgerEntry(db: Db, e: LedgerEntryInput): Promise<void> {
  await db
    .insertInto('ledger')
    .values({
      id: newId('led'),
      tenant_id: e.tenantId,
      run_id: e.runId,
      outbox_id: e.outboxId ?? null,
      category: e.category,
      minutes_saved: e.minutesSaved ?? 0,
      value_cents: e.valueCents ?? 0,
      ai_cost_micros: e.aiCostMicros ?? 0,
      response_ms: e.responseMs ?? null,
      note: e.note ?? null,
      ...(e.at ? { created_at: e.at } : {}),
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'run_id', 'category']).doNothing())
    .execute();
}
