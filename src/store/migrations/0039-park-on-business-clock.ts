import { sql, type Kysely } from 'kysely';

/**
 * A parked run's deadline is on one of two clocks. Most waits last a span of real time (a reply
 * for 48 h: `parked_until` is on the system clock). A wait until a moment of the business's day
 * (`ctx.waitUntil`: an invoice's next reminder, a publish slot) parks until that moment on the
 * business clock (`parked_on_business_clock`), which the waker reads instead. In production both
 * clocks are the system clock; a test's or a simulation's injected clock can jump days ahead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table runs add column parked_on_business_clock boolean not null default false`.execute(db);
}
