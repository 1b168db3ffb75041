import { sql, type RawBuilder } from 'kysely';
import { weekIndex, weekKey, type LedgerPeriod } from './ledger-weeks.js';
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
    select count(*)::int as n, ${P50_MS} as p50 from (${ownFirstReplies(tenantId)}) own`.execute(db);
  const after = await db
    .selectFrom('ledger')
    .select([sql<number>`count(*)::int`.as('n'), sql<number | null>`percentile_cont(0.5) within group (order by response_ms)`.as('p50')])
    .where('tenant_id', '=', tenantId)
    .where('category', 'in', [...SPEED_TO_LEAD_CATEGORIES])
    .where('response_ms', 'is not', null)
    .executeTakeFirstOrThrow();
  return { before: speedSample(before.rows[0]), after: speedSample(after) };
}

/** A count and a `percentile_cont` result as a {@link SpeedSample} (rounded to whole ms). */
export function speedSample(r: { n: number | string; p50: number | string | null } | undefined): SpeedSample {
  return { count: Number(r?.n ?? 0), p50Ms: r?.p50 === null || r?.p50 === undefined ? null : Math.round(Number(r.p50)) };
}

/** SQL: median of `first_reply_at - first_inbound_at` in milliseconds over {@link ownFirstReplies} rows. */
const P50_MS = sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from (first_reply_at - first_inbound_at)) * 1000)`;

/**
 * SQL: the tenant's conversations whose first reply was the business's own (no run): their
 * `first_inbound_at` and `first_reply_at`, which a trigger on messages keeps on the conversation
 * row (migration 0030), read index-only from `conversations_own_first_reply`.
 */
export function ownFirstReplies(tenantId: string): RawBuilder<{ first_inbound_at: Date; first_reply_at: Date }> {
  return sql<{ first_inbound_at: Date; first_reply_at: Date }>`
    select first_inbound_at, first_reply_at from conversations
    where tenant_id = ${tenantId} and first_reply_at is not null and first_reply_run_id is null`;
}

/** Per week of `period` (its `YYYY-MM-DD` key) of the customer's first message: the business's own first-reply median. */
export async function ownSpeedByWeek(db: Db, tenantId: string, period: LedgerPeriod): Promise<Map<string, SpeedSample>> {
  const rows = await sql<{ week: number; n: number; p50: number | null }>`
    select ${weekIndex(sql`first_inbound_at`, period)} as week, count(*)::int as n, ${P50_MS} as p50
    from (${ownFirstReplies(tenantId)}) own where first_inbound_at >= ${period.since} and first_inbound_at < ${period.until} group by 1`.execute(db);
  return new Map(rows.rows.map((r) => [weekKey(period, r.week)!, speedSample(r)]));
}

/** "42 h → 28 s" style wording of a duration in milliseconds ("–" when unknown). */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}
