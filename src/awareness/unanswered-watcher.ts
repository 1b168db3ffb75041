import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { Signal } from '../store/schema.js';
import type { TenantInfo } from '../records/tenants.js';
import { newId } from '../core/ids.js';
import { tenantBusinessMs } from './business-time.js';
import { isAcknowledgement } from './message-intent.js';
import { resolveSignals } from './signal-store.js';

/** Signal kind: a customer's message has had no reply for too long. */
export const CUSTOMER_UNANSWERED = 'customer_unanswered';

/** Default business hours a message may wait for a reply. */
export const DEFAULT_UNANSWERED_HOURS = 4;

/** Messages older than this are not looked at (days): an old silence is history, not an alert. */
const LOOKBACK_DAYS = 30;

/**
 * Raises `customer_unanswered` for every conversation of `tenant` whose customer wrote last and
 * has waited at least `hours` business hours (only time inside `profile.hours`, in the tenant's
 * zone, counts; without stated hours all time counts) for an outbound message in that
 * conversation. The wait is counted from the first message after the business's last reply, and
 * the signal is raised once per such message (dedup key `customer_unanswered:<message id>`).
 * Left out: the owner's own phone, opted-out contacts, and messages that only acknowledge
 * ("Thanks!"), and email conversations (those are `email_unanswered`'s, see
 * email-unanswered-watcher.ts, so one mail never raises both). Raised signals are returned (not yet dispatched: the caller dispatches them).
 * @param now the instant to measure against (injectable clock).
 * @param hours business hours (default {@link DEFAULT_UNANSWERED_HOURS}).
 */
export async function raiseUnanswered(db: Db, tenant: TenantInfo, now: Date, hours = DEFAULT_UNANSWERED_HOURS): Promise<Signal[]> {
  const since = new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000);
  const rows = await sql<{ message_id: string; conversation_id: string; contact_id: string; channel: string; address: string; body: string; created_at: Date; state: string }>`
    select distinct on (m.conversation_id) m.id as message_id, m.conversation_id, cv.contact_id, cv.channel, cv.address, m.body, m.created_at, cv.state
    from messages m
    join conversations cv on cv.id = m.conversation_id
    left join contacts ct on ct.id = cv.contact_id
    where m.tenant_id = ${tenant.id} and m.direction = 'inbound' and m.created_at >= ${since} and m.created_at <= ${now}
      and cv.channel <> 'email'
      and cv.address <> ${tenant.owner.phone ?? ''}
      and ct.opted_out_at is null
      and not exists (select 1 from messages o where o.conversation_id = m.conversation_id and o.direction = 'outbound' and o.created_at >= m.created_at)
    order by m.conversation_id, m.created_at asc
  `.execute(db);
  const raised: Signal[] = [];
  for (const r of rows.rows) {
    if (isAcknowledgement(r.body)) continue;
    const waitedMs = tenantBusinessMs(tenant, new Date(r.created_at), now);
    if (waitedMs < hours * 3_600_000) continue;
    const signal = await db
      .insertInto('signals')
      .values({
        id: newId('sig'), tenant_id: tenant.id, kind: CUSTOMER_UNANSWERED, subject: r.address, severity: r.state === 'waiting_for_owner' ? 'high' : 'normal',
        dedup_key: `${CUSTOMER_UNANSWERED}:${r.message_id}`,
        data: JSON.stringify({ messageId: r.message_id, conversationId: r.conversation_id, contactId: r.contact_id, channel: r.channel, body: r.body.slice(0, 300), receivedAt: new Date(r.created_at).toISOString(), businessHoursWaited: Math.round((waitedMs / 3_600_000) * 10) / 10, waitingForOwner: r.state === 'waiting_for_owner' }),
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (signal) raised.push(signal);
  }
  return raised;
}

/**
 * Self-resolution of `customer_unanswered`: its `open`, `handling` or `snoozed` signals whose
 * conversation has an outbound message at or after the unanswered one are marked `resolved`.
 * @returns how many were resolved
 */
export async function resolveUnanswered(db: Db, tenant: TenantInfo, now: Date): Promise<number> {
  const rows = await sql<{ id: string }>`
    select s.id from signals s
    where s.tenant_id = ${tenant.id} and s.kind = ${CUSTOMER_UNANSWERED} and s.status in ('open', 'handling', 'snoozed')
      and exists (select 1 from messages o where o.conversation_id = s.data->>'conversationId' and o.direction = 'outbound' and o.created_at >= (s.data->>'receivedAt')::timestamptz)`.execute(db);
  return resolveSignals(db, tenant.id, rows.rows.map((r) => r.id), now, 'the business answered');
}
