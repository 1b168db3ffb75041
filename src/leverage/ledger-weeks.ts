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
 * one up to `now`. Computed by PostgreSQL so the week boundaries match {@link weekOf}.
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

/** SQL: the local Monday (`YYYY-MM-DD`) of a timestamp column, the key {@link ledgerPeriod} uses. */
export function weekOf(column: RawBuilder<unknown>, timeZone: string): RawBuilder<string> {
  return sql<string>`to_char(date_trunc('week', ${column} at time zone ${timeZone}), 'YYYY-MM-DD')`;
}
