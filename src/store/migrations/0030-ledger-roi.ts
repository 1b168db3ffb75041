import { sql, type Kysely } from 'kysely';

/**
 * Speed-to-lead without reading every message (issue 11, ledger and ROI). Each conversation keeps
 * its customer's first message and the first reply after it:
 * - `conversations.first_inbound_at`: the earliest inbound message;
 * - `first_reply_at`, `first_reply_run_id`: the first outbound message after it, and its run
 *   (null = the business's own reply: imported or sent by the owner);
 * kept by the statement trigger `messages_first_reply` on every insert into messages, whatever
 * writes it (appendMessage, mail, imports, seeds; rows arriving out of order are recomputed from
 * the conversation's messages by the `messages_conversation` index), and backfilled here.
 * `conversations_own_first_reply` (partial, index-only) serves the business's own median and its
 * weekly series; before this, `GET /status` hash-joined all of the business's messages per call.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table conversations add column first_inbound_at timestamptz, add column first_reply_at timestamptz, add column first_reply_run_id text;

create function conversations_first_reply_refresh(ids text[]) returns void language sql as $fn$
  update conversations c set first_inbound_at = x.asked_at, first_reply_at = x.replied_at, first_reply_run_id = x.run_id
  from (
    select cv.id, f.asked_at, r.replied_at, r.run_id
    from conversations cv
    left join lateral (select min(m.created_at) as asked_at from messages m
      where m.tenant_id = cv.tenant_id and m.conversation_id = cv.id and m.direction = 'inbound') f on true
    left join lateral (select o.created_at as replied_at, o.run_id from messages o
      where o.tenant_id = cv.tenant_id and o.conversation_id = cv.id and o.direction = 'outbound' and o.created_at > f.asked_at
      order by o.created_at limit 1) r on true
    where cv.id = any(ids)
  ) x
  where c.id = x.id and (c.first_inbound_at, c.first_reply_at, c.first_reply_run_id) is distinct from (x.asked_at, x.replied_at, x.run_id);
$fn$;

create function messages_first_reply() returns trigger language plpgsql as $fn$
begin
  perform conversations_first_reply_refresh(array(select distinct conversation_id from new_rows));
  return null;
end
$fn$;

create trigger messages_first_reply after insert on messages referencing new table as new_rows
  for each statement execute function messages_first_reply();

select conversations_first_reply_refresh(array(select id from conversations));

create index conversations_own_first_reply on conversations (tenant_id, first_inbound_at) include (first_reply_at)
  where first_reply_at is not null and first_reply_run_id is null;
`.execute(db);
}

/** Forward-only: AIOS never migrates down. */
export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
