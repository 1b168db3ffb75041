import { sql, type Kysely } from 'kysely';

/**
 * Conversations that wait for the owner, and customers who are never asked for a review.
 * - `conversations.state`: `open` (AIOS handles it) or `waiting_for_owner` (handed to the owner,
 *   since `waiting_since`); `handoff_code`: the short code of the owner's notice (unique per
 *   business while set), so the owner can answer it by SMS.
 * - `contacts.review_opt_out`: never send this contact a review request.
 * Existing rows get `open` / false.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table conversations add column state text not null default 'open' check (state in ('open', 'waiting_for_owner'))`.execute(db);
  await sql`alter table conversations add column waiting_since timestamptz`.execute(db);
  await sql`alter table conversations add column handoff_code text`.execute(db);
  await sql`create unique index conversations_handoff_code on conversations (tenant_id, handoff_code) where handoff_code is not null`.execute(db);
  await sql`alter table contacts add column review_opt_out boolean not null default false`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
