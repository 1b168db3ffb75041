import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the dashboard's lists and totals (measured by `npm run bench:dashboard` on one
 * business with 10,000 runs, 50,000 messages, 5,000 contacts; EXPLAIN showed a sequential scan
 * and a sort for each of these):
 * - `approvals_tenant_created`: every approval, newest first (`GET /approvals?status=all`);
 * - `conversations_tenant_last` / `conversations_waiting`: the inbox, newest first, and the
 *   threads waiting for the owner;
 * - `signals_tenant_created`: every signal, newest first;
 * - `runs_tenant_status`: runs counted by status (index-only);
 * - `outbox_tenant_sent_sms`: texts sent and their segments (index-only);
 * Not added, measured: a covering index for the ledger's totals and one on messages by direction
 * for speed-to-lead; with one business per table the planner still reads the whole table (it is
 * all that business's rows), so they would only cost writes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create index approvals_tenant_created on approvals (tenant_id, created_at desc);
create index conversations_tenant_last on conversations (tenant_id, last_message_at desc);
create index conversations_waiting on conversations (tenant_id, last_message_at desc) where state = 'waiting_for_owner';
create index signals_tenant_created on signals (tenant_id, created_at desc);
create index runs_tenant_status on runs (tenant_id, status);
create index outbox_tenant_sent_sms on outbox (tenant_id) include (segments) where channel = 'sms' and status = 'sent';
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
