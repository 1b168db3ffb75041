import { sql, type Kysely } from 'kysely';

/**
 * The ledger summary and speed-to-lead (issue 11):
 * - `messages_first_inbound` / `messages_first_outbound`: partial indexes on messages by direction,
 *   so "the business's own first reply" is two index probes per conversation (first inbound
 *   message, first outbound one after it; the outbound one carries `run_id`) instead of a hash join
 *   of every message of the business (`GET /status` and the Ledger page read it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create index messages_first_inbound on messages (tenant_id, conversation_id, created_at) where direction = 'inbound';
create index messages_first_outbound on messages (tenant_id, conversation_id, created_at) include (run_id) where direction = 'outbound';
`.execute(db);
}

/** Forward-only: AIOS never migrates down. */
export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
