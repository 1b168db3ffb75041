import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { PolicyFacts } from '../policy/evaluate-policy.js';
import { localDayStart } from '../policy/quiet-hours.js';

/**
 * Reads from the database the facts the policy needs about a recipient: opted out, never
 * contacted before, and messages already sent (or on their way) today in the business's time zone.
 * `excludeKey` leaves out this action's own outbox row when a step is re-run.
 */
export async function recipientFacts(db: Db, tenantId: string, recipient: string, now: Date, timeZone: string, excludeKey: string): Promise<PolicyFacts> {
  const dayStart = localDayStart(now, timeZone);
  const row = await sql<{ opted_out: boolean; prior_messages: number; today: number }>`
    select
      coalesce((select opted_out_at is not null from contacts where tenant_id = ${tenantId} and phone = ${recipient}), false) as opted_out,
      (select count(*)::int from messages m join conversations c on c.id = m.conversation_id
         where c.tenant_id = ${tenantId} and c.address = ${recipient}) as prior_messages,
      (select count(*)::int from outbox where tenant_id = ${tenantId} and recipient = ${recipient}
         and kind = 'sms.send' and status in ('pending','sending','sent') and created_at >= ${dayStart}
         and idempotency_key <> ${excludeKey}) as today
  `.execute(db);
  const r = row.rows[0]!;
  return { now, timeZone, recipientOptedOut: r.opted_out, isFirstContact: r.prior_messages === 0, sentToRecipientToday: r.today };
}
