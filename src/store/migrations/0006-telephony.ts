import { sql, type Kysely } from 'kysely';

/** Delivery receipts on the outbox (Twilio status callbacks) and lookups by provider ids. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table outbox add column delivery_status text;
alter table outbox add column delivery_error text;
alter table outbox add column delivery_updated_at timestamptz;
create index outbox_provider_ref on outbox(provider_ref) where provider_ref is not null;
create index events_dedup_key on events(dedup_key);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
