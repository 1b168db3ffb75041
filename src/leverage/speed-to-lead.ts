import { sql, type RawBuilder } from 'kysely';
import { weekOf } from './ledger-weeks.js';
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

/** SQL: median of `replied_at - asked_at` in milliseconds over {@link ownFirstReplies} rows. */
const P50_MS = sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from (replied_at - asked_at)) * 1000)`;

/**
 * SQL: one row `(asked_at, replied_at)` per conversation of the tenant whose first reply was the
 * business's own (no run): the first inbound message, and the first outbound one after it. Each
 * conversation costs two index probes (migration 0030's partial indexes on messages by direction)
 * instead of a hash join of every message of the tenant. `since`: only conversations with a
 * message since then (a conversation asked in a week has its last message after that week began).
 */
export function ownFirstReplies(tenantId: string, since?: Date): RawBuilder<{ asked_at: Date; replied_at: Date }> {
  return sql<{ asked_at: Date; replied_at: Date }>`
    select f.asked_at, r.replied_at
    from conversations c
    cross join lateral (select m.created_at as asked_at from messages m
      where m.tenant_id = c.tenant_id and m.conversation_id = c.id and m.direction = 'inbound'
      order by m.created_at limit 1) f
    cross join lateral (select o.created_at as replied_at, o.run_id from messages o
      where o.tenant_id = c.tenant_id and o.conversation_id = c.id and o.direction = 'outbound' and o.created_at > f.asked_at
      order by o.created_at limit 1) r
    where c.tenant_id = ${tenantId} and r.run_id is null${since ? sql` and c.last_message_at >= ${since}` : sql``}`;
}

/** Per local week (`weekOf` key) of the customer's first message: the business's own first-reply median since `since`. */
export async function ownSpeedByWeek(db: Db, tenantId: string, since: Date, until: Date, timeZone: string): Promise<Map<string, SpeedSample>> {
  const rows = await sql<{ week: string; n: number; p50: number | null }>`
    select ${weekOf(sql`asked_at`, timeZone)} as week, count(*)::int as n, ${P50_MS} as p50
    from (${ownFirstReplies(tenantId, since)}) own where asked_at >= ${since} and asked_at < ${until} group by 1`.execute(db);
  return new Map(rows.rows.map((r) => [r.week, speedSample(r)]));
}

/** "42 h → 28 s" style wording of a duration in milliseconds ("–" when unknown). */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}
