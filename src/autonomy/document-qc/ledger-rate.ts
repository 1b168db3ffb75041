import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { LEDGER_FIRST_CLEAN, LEDGER_FIRST_EXCEPTIONS, LEDGER_REVIEW } from './package-store.js';

/** One week (Monday to Sunday, UTC) of first checks: the trend the "fewer exceptions" claim needs. */
export interface QcWeek {
  /** `YYYY-MM-DD`, the Monday. */
  week: string;
  /** Packages checked for the first time that week. */
  firstChecks: number;
  /** Of those, packages whose first check found at least one exception. */
  withExceptions: number;
  /** `withExceptions ÷ firstChecks`, null in a week without first checks. */
  rate: number | null;
  /** Review minutes saved by every check that week (first and re-checks). */
  reviewMinutes: number;
}

/** The first-submission exception rate over a period and week by week. */
export interface QcLedgerSummary {
  firstChecks: number;
  withExceptions: number;
  rate: number | null;
  reviewMinutes: number;
  /** Every week from the one holding `since` to the one holding `now`, oldest first (empty weeks too). */
  weeks: QcWeek[];
}

const DAY_MS = 86_400_000;
/** Monday 00:00 UTC of the week holding `d`. */
export const monday = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7)));

/**
 * First-submission exception rate from the ledger: packages whose first check had ≥ 1 exception
 * over all packages first checked, and review minutes saved, from `since` up to `now` — in total
 * and per week (weeks start Monday, UTC), so a brokerage sees the rate fall week by week.
 */
export async function qcLedgerSummary(db: Db, tenantId: string, since: Date, now: Date): Promise<QcLedgerSummary> {
  const rows = await db.selectFrom('ledger')
    .select([sql<string>`to_char(date_trunc('week', created_at at time zone 'UTC'), 'YYYY-MM-DD')`.as('week'), 'category', (eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.sum<string>('minutes_saved').as('m')])
    .where('tenant_id', '=', tenantId).where('created_at', '>=', since).where('created_at', '<=', now)
    .where('category', 'in', [LEDGER_REVIEW, LEDGER_FIRST_CLEAN, LEDGER_FIRST_EXCEPTIONS])
    .groupBy([sql`1`, 'category']).execute();
  const weeks: QcWeek[] = [];
  for (let t = monday(since).getTime(); t <= now.getTime(); t += 7 * DAY_MS) {
    const key = new Date(t).toISOString().slice(0, 10);
    const of = (c: string) => rows.find((r) => r.category === c && r.week === key);
    const clean = Number(of(LEDGER_FIRST_CLEAN)?.n ?? 0);
    const withExceptions = Number(of(LEDGER_FIRST_EXCEPTIONS)?.n ?? 0);
    weeks.push({ week: key, firstChecks: clean + withExceptions, withExceptions, rate: clean + withExceptions ? withExceptions / (clean + withExceptions) : null, reviewMinutes: Number(of(LEDGER_REVIEW)?.m ?? 0) });
  }
  const firstChecks = weeks.reduce((n, w) => n + w.firstChecks, 0);
  const withExceptions = weeks.reduce((n, w) => n + w.withExceptions, 0);
  return { firstChecks, withExceptions, rate: firstChecks ? withExceptions / firstChecks : null, reviewMinutes: weeks.reduce((n, w) => n + w.reviewMinutes, 0), weeks };
}
