import { sql } from 'kysely';
import type { Db } from '../../store/db.js';

/**
 * Runs `fn` in a transaction holding the business's booking lock (a transaction-scoped PostgreSQL
 * advisory lock keyed by tenant, so it holds across AIOS processes too). Every write that creates
 * a live booking row or keeps one live goes through it.
 *
 * Why: the exclusion constraint alone is what forbids overlaps, but two transactions that each
 * check it against the other's uncommitted row (an insert and an update of an overlapping range)
 * can deadlock (40P01) instead of one of them failing cleanly with 23P01. With the lock, writers of
 * one business queue for a few milliseconds and the constraint sees committed rows only; other
 * businesses are not affected. Inside an existing transaction the lock joins it.
 */
export async function withBookingLock<T>(db: Db, tenantId: string, fn: (tx: Db) => Promise<T>): Promise<T> {
  const run = async (tx: Db) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`aios:bookings:${tenantId}`}, 0))`.execute(tx);
    return fn(tx);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
