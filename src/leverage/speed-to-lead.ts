import { sql } from 'kysely';
import type { Db } from '../store/db.js';

/** Ledger categories whose `response_ms` is AIOS's first answer to a lead (web lead, missed call). */
export const SPEED_TO_LEAD_CATEGORIES = ['lead_response', 'missed_call_text_back'] as const;

/** Median speed of one side, in milliseconds; `p50Ms` is null when nothing was measured. */
export interface SpeedSample {
  /** Leads measured. */
  count: number;
  /** Median time from the lead's arrival to the first reply, milliseconds. */
  p50Ms: number | null;
}

/** Speed-to-lead of a business: its own before AIOS, and AIOS's. */
export interface SpeedToLead {
  /**
   * The business's own speed, from its message history: for each conversation whose first reply was
   * not written by AIOS (imported, or sent by the owner), the customer's first inbound message →
   * that first outbound reply.
   */
  before: SpeedSample;
  /** AIOS: the lead's arrival → AIOS's first reply leaving (ledger `response_ms` of {@link SPEED_TO_LEAD_CATEGORIES}). */
  after: SpeedSample;
}

/**
 * Speed-to-lead before and after AIOS for one tenant (median, milliseconds). A conversation whose
 * first reply came from a run is AIOS's and counts only in `after` (through the ledger, which also
 * measures leads that arrived by web form or call rather than as a message).
 */
export async function speedToLead(db: Db, tenantId: string): Promise<SpeedToLead> {
  const before = await sql<{ n: number; p50: number | null }>`
    with firsts as (
      select m.conversation_id, min(m.created_at) as asked_at
      from messages m where m.tenant_id = ${tenantId} and m.direction = 'inbound'
      group by m.conversation_id
    ), replies as (
      select distinct on (f.conversation_id) f.conversation_id, f.asked_at, o.created_at as replied_at, o.run_id
      from firsts f join messages o
        on o.conversation_id = f.conversation_id and o.tenant_id = ${tenantId} and o.direction = 'outbound' and o.created_at > f.asked_at
      order by f.conversation_id, o.created_at
    )
    select count(*)::int as n,
           percentile_cont(0.5) within group (order by extract(epoch from (replied_at - asked_at)) * 1000) as p50
    from replies where run_id is null`.execute(db);
  const after = await db
    .selectFrom('ledger')
    .select([sql<number>`count(*)::int`.as('n'), sql<number | null>`percentile_cont(0.5) within group (order by response_ms)`.as('p50')])
    .where('tenant_id', '=', tenantId)
    .where('category', 'in', [...SPEED_TO_LEAD_CATEGORIES])
    .where('response_ms', 'is not', null)
    .executeTakeFirstOrThrow();
  const sample = (r: { n: number; p50: number | null } | undefined): SpeedSample => ({ count: Number(r?.n ?? 0), p50Ms: r?.p50 === null || r?.p50 === undefined ? null : Math.round(Number(r.p50)) });
  return { before: sample(before.rows[0]), after: sample(after) };
}

/** "42 h → 28 s" style wording of a duration in milliseconds ("–" when unknown). */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}
