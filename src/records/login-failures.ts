import { sql } from 'kysely';
import type { Db } from '../store/db.js';

/** Failures older than this (ms) are forgotten: 15 minutes. */
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;
/** From this many failures of one key within the window, logins for it are refused (429) until the window passes. */
export const LOGIN_LOCKOUT_AFTER = 20;

/**
 * How long (ms) a login answer waits after `failures` earlier failures: 0, then 250 ms doubling
 * per failure, at most 8 s. The wait comes before the answer, right or wrong, so a guesser
 * gains nothing by cutting the connection.
 */
export function loginDelayMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(8000, 250 * 2 ** (failures - 1));
}

/** The largest failure count within the window among `keys`, and when the oldest of it expires. */
export async function recentFailures(db: Db, keys: string[], now: Date): Promise<{ failures: number; retryAfterMs: number }> {
  const since = new Date(now.getTime() - LOGIN_FAILURE_WINDOW_MS);
  const rows = await db.selectFrom('login_failures').select(['failures', 'first_failed_at']).where('key', 'in', keys).where('last_failed_at', '>', since).execute();
  let failures = 0;
  let retryAfterMs = 0;
  for (const r of rows) {
    if (r.failures > failures) failures = r.failures;
    retryAfterMs = Math.max(retryAfterMs, r.first_failed_at.getTime() + LOGIN_FAILURE_WINDOW_MS - now.getTime());
  }
  return { failures, retryAfterMs: Math.max(1000, retryAfterMs) };
}

/** Counts one failed login against each key (a key idle for a whole window starts again at 1). */
export async function recordFailure(db: Db, keys: string[], now: Date): Promise<void> {
  const since = new Date(now.getTime() - LOGIN_FAILURE_WINDOW_MS);
  for (const key of keys) {
    await db.insertInto('login_failures').values({ key, failures: 1, first_failed_at: now, last_failed_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({
        failures: sql`case when login_failures.last_failed_at > ${since} then login_failures.failures + 1 else 1 end`,
        first_failed_at: sql`case when login_failures.last_failed_at > ${since} then login_failures.first_failed_at else ${now} end`,
        last_failed_at: now,
      })).execute();
  }
}

/** Forgets the failures of `keys` (after a successful login). */
export async function clearFailures(db: Db, keys: string[]): Promise<void> {
  await db.deleteFrom('login_failures').where('key', 'in', keys).execute();
}
