import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/db.js';

/** One week of the ledger: Monday 00:00 in the business's time zone to the next Monday (or now). */
export interface LedgerWeek {
  /** The local Monday, `YYYY-MM-DD` (the week's key in every series). */
  week: string;
  /** Its start (inclusive) and end (exclusive; `now` for the current week). */
  since: Date;
  until: Date;
}

/** The period of a ledger summary: `weeks` local weeks ending with the one holding `now`. */
export interface LedgerPeriod {
  since: Date;
  until: Date;
  timeZone: string;
  weeks: LedgerWeek[];
}

/**
 * The last `weeks` weeks (Monday to Sunday in `timeZone`, daylight saving included), the current
 * one up to `now`. Computed by PostgreSQL (local Mondays, converted back to instants).
 */
export async function ledgerPeriod(db: Db, timeZone: string, weeks: number, now: Date): Promise<LedgerPeriod> {
  const rows = await sql<{ week: string; since: Date; until: Date }>`
    select to_char(w, 'YYYY-MM-DD') as week, w at time zone ${timeZone} as since,
           least((w + interval '1 week') at time zone ${timeZone}, ${now}::timestamptz) as until
    from generate_series(date_trunc('week', ${now}::timestamptz at time zone ${timeZone}) - make_interval(weeks => ${weeks - 1}),
                         date_trunc('week', ${now}::timestamptz at time zone ${timeZone}), interval '1 week') as w
    order by w`.execute(db);
  const list = rows.rows.map((r) => ({ week: r.week, since: new Date(r.since), until: new Date(r.until) }));
  return { since: list[0]!.since, until: now, timeZone, weeks: list };
}

/**
 * SQL: which week of `period` a timestamp column falls in, 1-based (0 before the first week), by a
 * binary search of the weeks' starts (`width_bucket`): no time-zone conversion per row.
 */
export function weekIndex(column: RawBuilder<unknown>, period: LedgerPeriod): RawBuilder<number> {
  return sql<number>`width_bucket(${column}, ${period.weeks.map((w) => w.since.toISOString())}::timestamptz[])`;
}

/** The week key (`YYYY-MM-DD`) of a {@link weekIndex} result, undefined outside the period. */
export function weekKey(period: LedgerPeriod, index: number | string): string | undefined {
  return period.weeks[Number(index) - 1]?.week;
}
