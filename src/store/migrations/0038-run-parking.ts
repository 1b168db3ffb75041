import { sql, type Kysely } from 'kysely';

/**
 * A run that waits long (a reply for 48 h, an approval for 7 days, quiet hours) is *parked*: its
 * DBOS workflow is set aside (CANCELLED in DBOS's table, in the same transaction that sets
 * `parked_until`), so it holds no memory in any process. `parked_until` is when it must wake
 * if nothing arrives (its wait's durable deadline); `parked_topic` the DBOS message topic that
 * wakes it sooner (null for a plain sleep). Waking clears both and re-enqueues the workflow in
 * one transaction (`autonomy/engine/run-parking.ts`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table runs add column parked_until timestamptz, add column parked_topic text;
create index runs_parked_until on runs (parked_until) where parked_until is not null;
`.execute(db);
}
