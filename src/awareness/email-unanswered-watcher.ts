import { sql } from 'kysely';
import type { Signal } from '../store/schema.js';
import { EMAIL_UNANSWERED, type EmailUnansweredData } from './back-office-signals.js';
import { tenantBusinessMs } from './business-time.js';
import { isAcknowledgement } from './message-intent.js';
import { storeSignal, liveSignals, resolveSignals, knownDedupKeys } from './signal-store.js';
import type { Watcher, WatchContext } from './watcher.js';

/** Senders that never expect an answer: no-reply, bounces, notification robots. */
const AUTOMATED_SENDER = /^(no-?reply|do-?not-?reply|donotreply|mailer-daemon|postmaster|bounces?|notifications?|notify|alerts?)([+._-][^@]*)?@/i;

/** Whether a sender address is a robot that expects no answer (`noreply@…`, `mailer-daemon@…`, `notifications@…`). */
export function isAutomatedSender(address: string): boolean {
  return AUTOMATED_SENDER.test(address.trim());
}

/** Mails older than this are not looked at (days): an old silence is history, not an alert. */
const LOOKBACK_DAYS = 30;

/**
 * The business's last answer in each email conversation of the tenant: an outbound message
 * filed in the conversation, or an `email.send` outbox row sent to its address.
 */
const LAST_ANSWER = sql`greatest(
  (select max(o.created_at) from messages o where o.tenant_id = cv.tenant_id and o.conversation_id = cv.id and o.direction = 'outbound'),
  (select max(x.sent_at) from outbox x where x.tenant_id = cv.tenant_id and x.channel = 'email' and x.status = 'sent' and lower(x.recipient) = lower(cv.address))
)`;

/** The first unanswered inbound mail of each email conversation of the tenant, received in [since, now]. */
export function waitingMails(c: Pick<WatchContext, 'tenant' | 'now'>, since: Date) {
  return sql<{ message_id: string; conversation_id: string; contact_id: string; address: string; body: string; created_at: Date }>`
    select distinct on (m.conversation_id) m.id as message_id, m.conversation_id, cv.contact_id, cv.address, m.body, m.created_at
    from conversations cv
    cross join lateral (select ${LAST_ANSWER} as at) answered
    join messages m on m.tenant_id = cv.tenant_id and m.conversation_id = cv.id and m.direction = 'inbound'
    where cv.tenant_id = ${c.tenant.id} and cv.channel = 'email' and cv.last_message_at >= ${since}
      and m.created_at >= ${since} and m.created_at <= ${c.now}
      and m.created_at > coalesce(answered.at, '-infinity'::timestamptz)
    order by m.conversation_id, m.created_at asc`;
}

/**
 * `email_unanswered`: email conversations (channel `email`) whose customer wrote after the
 * business's last answer and has waited at least `watchers.email_unanswered_hours` business hours
 * (tenant hours, zone and holidays). One signal per wait: it is keyed by the first unanswered mail
 * of the wait (`email_unanswered:<conversation>:<message id>`; when the customer wrote once, that is
 * the last inbound mail), so a second mail in the same wait does not raise another. Mails that only
 * acknowledge ("Thanks!"), mails from the business's own addresses and from robots (`noreply@`,
 * `mailer-daemon@`, `notifications@`: {@link isAutomatedSender}) do not count.
 * SMS and other channels are the `customer_unanswered` watcher's (it skips email conversations).
 * Resolves when an answer is sent (outbound message or sent outbox email to the address).
 */
export const emailUnansweredWatcher: Watcher = {
  id: 'email-unanswered',
  kinds: [EMAIL_UNANSWERED],
  async raise(c: WatchContext): Promise<Signal[]> {
    const since = new Date(c.now.getTime() - LOOKBACK_DAYS * 86_400_000);
    const rows = await waitingMails(c, since).execute(c.db);
    const out: Signal[] = [];
    const known = await knownDedupKeys(c.db, c.tenant.id, this.kinds);
    for (const r of rows.rows) {
      const dedupKey = `${EMAIL_UNANSWERED}:${r.conversation_id}:${r.message_id}`;
      if (known.has(dedupKey)) continue;
      if (c.isOwnAddress(r.address) || isAutomatedSender(r.address) || isAcknowledgement(r.body.replace(/^[^\n]*\n\n/, ''))) continue;
      const waited = tenantBusinessMs(c.tenant, new Date(r.created_at), c.now);
      if (waited < c.settings.email_unanswered_hours * 3_600_000) continue;
      const data: EmailUnansweredData = { conversationId: r.conversation_id, contactId: r.contact_id, address: r.address, since: new Date(r.created_at).toISOString(), businessHours: Math.round((waited / 3_600_000) * 10) / 10 };
      const s = await storeSignal(c.db, { tenantId: c.tenant.id, kind: EMAIL_UNANSWERED, subject: r.address, dedupKey, data }, c.now);
      if (s) out.push(s);
    }
    return out;
  },
  async resolve(c: WatchContext): Promise<number> {
    const live = await liveSignals(c.db, c.tenant.id, this.kinds);
    if (live.length === 0) return 0;
    const ids: string[] = [];
    for (const s of live) {
      const d = s.data as unknown as EmailUnansweredData;
      const r = await sql<{ answered_at: Date | null }>`select ${LAST_ANSWER} as answered_at from conversations cv where cv.tenant_id = ${c.tenant.id} and cv.id = ${d.conversationId}`.execute(c.db);
      const at = r.rows[0]?.answered_at;
      if (r.rows.length === 0 || (at && new Date(at).getTime() >= Date.parse(d.since))) ids.push(s.id);
    }
    return resolveSignals(c.db, c.tenant.id, ids, c.now, 'the business answered');
  },
};
