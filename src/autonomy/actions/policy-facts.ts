import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { PolicyFacts } from '../policy/evaluate-policy.js';
import { localDayStart } from '../policy/quiet-hours.js';
import { STAGE_NEW_LEAD } from '../../records/deals.js';

/**
 * Reads from the database the facts the policy needs about a recipient: opted out, first contact,
 * and messages already sent (or on their way) today in the business's time zone — all of them, and
 * those since the recipient's own last message (the daily limit counts these).
 *
 * First contact means: the business has never sent this address a message — no outbound message
 * in any conversation with it and no `sending`/`sent` outbox row to it (any kind, any channel) —
 * and the recipient is not a customer in the records: a contact with that phone or email that was
 * imported (`import`, `csv:*`), has an invoice (by contact or email; payments hang off invoices) or
 * a deal past "new lead". What the recipient sent us (an SMS, a voicemail, a web form) does not count.
 * In conversation: a conversation with the address holds a message, either way.
 * `excludeKey` leaves out this action's own outbox row when a step is re-run, and its status is
 * returned (`ownOutboxStatus`) in the same statement.
 */
export async function recipientFacts(db: Db, tenantId: string, recipient: string, now: Date, timeZone: string, excludeKey: string): Promise<RecipientFacts> {
  const dayStart = localDayStart(now, timeZone);
  const row = await sql<{ own_status: string | null; opted_out: boolean; contacted: boolean; customer: boolean; in_conversation: boolean; today: number; since_theirs: number }>`
    select
      (select status from outbox where idempotency_key = ${excludeKey}) as own_status,
      coalesce((select opted_out_at is not null from contacts where tenant_id = ${tenantId} and phone = ${recipient}), false) as opted_out,
      (exists (select 1 from messages m join conversations c on c.id = m.conversation_id
                where c.tenant_id = ${tenantId} and c.address = ${recipient} and m.direction = 'outbound')
        or exists (select 1 from outbox where tenant_id = ${tenantId} and recipient = ${recipient}
                and status in ('sending','sent') and idempotency_key <> ${excludeKey})) as contacted,
      exists (select 1 from contacts ct where ct.tenant_id = ${tenantId} and (ct.phone = ${recipient} or lower(ct.email) = lower(${recipient}))
        and (ct.source = 'import' or ct.source like 'csv:%'
          or exists (select 1 from invoices i where i.tenant_id = ${tenantId} and (i.contact_id = ct.id or (ct.email is not null and lower(i.customer_email) = lower(ct.email))))
          or exists (select 1 from deals d where d.tenant_id = ${tenantId} and d.contact_id = ct.id and d.stage <> ${STAGE_NEW_LEAD}))) as customer,
      exists (select 1 from messages m join conversations c on c.id = m.conversation_id
                where c.tenant_id = ${tenantId} and c.address = ${recipient}) as in_conversation,
      (select count(*)::int from outbox where tenant_id = ${tenantId} and recipient = ${recipient}
         and kind = 'sms.send' and status in ('pending','sending','sent') and created_at >= ${dayStart}
         and idempotency_key <> ${excludeKey}) as today,
      (select count(*)::int from outbox where tenant_id = ${tenantId} and recipient = ${recipient}
         and kind = 'sms.send' and status in ('pending','sending','sent') and idempotency_key <> ${excludeKey}
         and created_at >= ${dayStart}
         and created_at > coalesce((select max(m.created_at) from messages m join conversations c on c.id = m.conversation_id
                where c.tenant_id = ${tenantId} and c.address = ${recipient} and m.direction = 'inbound'), '-infinity'::timestamptz)) as since_theirs
  `.execute(db);
  const r = row.rows[0]!;
  return { now, timeZone, recipientOptedOut: r.opted_out, isFirstContact: !r.contacted && !r.customer, sentToRecipientToday: r.today, sentSinceTheirLastMessage: r.since_theirs, inConversation: r.in_conversation, ownOutboxStatus: r.own_status };
}

/** The policy's facts, plus the status of this action's own outbox row (`excludeKey`), null when it has none yet. */
export interface RecipientFacts extends PolicyFacts {
  /** Set when an earlier execution of the same step already wrote the row (it may have sent). */
  ownOutboxStatus: string | null;
}
