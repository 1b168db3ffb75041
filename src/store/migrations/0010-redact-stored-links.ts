import { sql, type Kysely } from 'kysely';

/**
 * Approval links written before links were derived at send time (0009) sit in plaintext in the
 * owner's notices: `outbox.payload.body`, the Twilio answer kept in `outbox.provider_response`,
 * and the outbound copy in `messages.body`. They are replaced by the placeholder every stored
 * notice now carries (`…/a/[link]`). The approvals keep their token hashes, so a link the owner
 * already received still opens; only the stored copies are gone.
 */
const LINK = '/a/[A-Za-z0-9_-]{32,}';
const PLACEHOLDER = '/a/[link]';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
update outbox set payload = jsonb_set(payload, '{body}', to_jsonb(regexp_replace(payload->>'body', ${LINK}, ${PLACEHOLDER}, 'g')))
  where kind = 'owner.notify' and payload->>'body' ~ ${LINK}`.execute(db);
  await sql`
update outbox set provider_response = regexp_replace(provider_response::text, ${LINK}, ${PLACEHOLDER}, 'g')::jsonb
  where kind = 'owner.notify' and provider_response::text ~ ${LINK}`.execute(db);
  await sql`
update messages set body = regexp_replace(body, ${LINK}, ${PLACEHOLDER}, 'g')
  where direction = 'outbound' and body ~ ${LINK}
    and external_id in (select provider_ref from outbox where kind = 'owner.notify' and provider_ref is not null)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
