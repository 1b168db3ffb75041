import { sql } from 'kysely';
import type { Signal } from '../store/schema.js';
import { MEETING_ENDED, MEETING_NO_FOLLOW_UP, type MeetingSignalData } from './back-office-signals.js';
import { storeSignal, liveSignals, resolveSignals, knownDedupKeys } from './signal-store.js';
import type { Watcher, WatchContext } from './watcher.js';

/** On a watcher's first pass (no `watcher_state` yet) it looks this far back (ms): older meetings are history. */
export const FIRST_PASS_LOOKBACK_MS = 24 * 3_600_000;
/** However long AIOS was down, a pass never looks further back than this (ms). */
export const MAX_CATCH_UP_MS = 14 * 86_400_000;

interface EventRow { id: string; summary: string | null; description: string | null; starts_at: Date; ends_at: Date; attendees: Array<{ email?: string; name?: string }> }

/** Start of the window a pass covers: since the last pass (catch-up), capped; first pass: a day back. */
function windowStart(c: WatchContext): Date {
  const from = c.lastCheckedAt ?? new Date(c.now.getTime() - FIRST_PASS_LOOKBACK_MS);
  return new Date(Math.max(from.getTime(), c.now.getTime() - MAX_CATCH_UP_MS));
}

/** Confirmed or tentative, timed (not all-day) events of the tenant whose `ends_at` is in (from, to]. */
async function eventsEnded(c: WatchContext, from: Date, to: Date): Promise<EventRow[]> {
  const r = await sql<EventRow>`
    select id, summary, description, starts_at, ends_at, attendees from calendar_events
    where tenant_id = ${c.tenant.id} and status <> 'cancelled' and not all_day and ends_at > ${from} and ends_at <= ${to}
    order by ends_at`.execute(c.db);
  return r.rows;
}

/**
 * The signal data of a meeting, or null when it has no attendee other than the business's own
 * addresses (nobody to follow up with: skipped). `contactId`: the first attendee's contact.
 */
async function meetingData(c: WatchContext, e: EventRow): Promise<MeetingSignalData | null> {
  const seen = new Set<string>();
  const attendees: MeetingSignalData['attendees'] = [];
  for (const a of Array.isArray(e.attendees) ? e.attendees : []) {
    const email = typeof a?.email === 'string' ? a.email.trim().toLowerCase() : '';
    if (!email.includes('@') || c.isOwnAddress(email) || seen.has(email)) continue;
    seen.add(email);
    attendees.push({ email, name: typeof a.name === 'string' && a.name ? a.name : null });
  }
  if (attendees.length === 0) return null;
  const contact = await c.db.selectFrom('contacts').select('id').where('tenant_id', '=', c.tenant.id).where(sql`lower(email)`, '=', attendees[0]!.email).executeTakeFirst();
  return {
    calendarEventId: e.id, summary: e.summary, startedAt: new Date(e.starts_at).toISOString(), endedAt: new Date(e.ends_at).toISOString(),
    attendees, contactId: contact?.id ?? null, notes: e.description,
  };
}

/** Whether an email was sent (outbox, status `sent`) to one of the meeting's attendees since it ended. */
async function followUpSent(c: WatchContext, d: MeetingSignalData): Promise<boolean> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from outbox
    where tenant_id = ${c.tenant.id} and channel = 'email' and status = 'sent' and sent_at >= ${new Date(d.endedAt)}
      and lower(recipient) in (${sql.join(d.attendees.map((a) => a.email))})`.execute(c.db);
  return (r.rows[0]?.n ?? 0) > 0;
}

async function resolveFollowedUp(c: WatchContext, kinds: readonly string[]): Promise<number> {
  const ids: string[] = [];
  for (const s of await liveSignals(c.db, c.tenant.id, kinds)) if (await followUpSent(c, s.data as unknown as MeetingSignalData)) ids.push(s.id);
  return resolveSignals(c.db, c.tenant.id, ids, c.now, 'a follow-up email was sent to an attendee');
}

/**
 * `meeting_ended`: calendar events with at least one attendee other than the business's own
 * addresses that ended since the last pass (after downtime: everything that ended while AIOS was
 * down, at most {@link MAX_CATCH_UP_MS} back). An event without such attendees is skipped. Keyed
 * by event and end time (a moved meeting ends again). Resolves when a follow-up email is sent.
 * Recurring series are seen as their stored rows (the first occurrence and overridden ones).
 */
export const meetingEndedWatcher: Watcher = {
  id: 'meeting-ended',
  kinds: [MEETING_ENDED],
  async raise(c: WatchContext): Promise<Signal[]> {
    const out: Signal[] = [];
    const known = await knownDedupKeys(c.db, c.tenant.id, this.kinds);
    for (const e of await eventsEnded(c, windowStart(c), c.now)) {
      if (known.has(`${MEETING_ENDED}:${e.id}:${new Date(e.ends_at).toISOString()}`)) continue;
      const data = await meetingData(c, e);
      if (!data) continue;
      const s = await storeSignal(c.db, { tenantId: c.tenant.id, kind: MEETING_ENDED, subject: e.id, dedupKey: `${MEETING_ENDED}:${e.id}:${data.endedAt}`, data }, c.now);
      if (s) out.push(s);
    }
    return out;
  },
  resolve(c: WatchContext): Promise<number> {
    return resolveFollowedUp(c, this.kinds);
  },
};

/**
 * `meeting_no_follow_up`: a meeting with a customer attendee ended `watchers.meeting_follow_up_hours`
 * ago (that deadline passed since the last pass) and no email has been sent (outbox, `sent`) to
 * any attendee since it ended. Keyed like `meeting_ended`. Resolves when a follow-up is sent.
 */
export const meetingFollowUpWatcher: Watcher = {
  id: 'meeting-no-follow-up',
  kinds: [MEETING_NO_FOLLOW_UP],
  async raise(c: WatchContext): Promise<Signal[]> {
    const delay = c.settings.meeting_follow_up_hours * 3_600_000;
    const out: Signal[] = [];
    const known = await knownDedupKeys(c.db, c.tenant.id, this.kinds);
    for (const e of await eventsEnded(c, new Date(windowStart(c).getTime() - delay), new Date(c.now.getTime() - delay))) {
      if (known.has(`${MEETING_NO_FOLLOW_UP}:${e.id}:${new Date(e.ends_at).toISOString()}`)) continue;
      const data = await meetingData(c, e);
      if (!data || (await followUpSent(c, data))) continue;
      const s = await storeSignal(c.db, { tenantId: c.tenant.id, kind: MEETING_NO_FOLLOW_UP, subject: e.id, dedupKey: `${MEETING_NO_FOLLOW_UP}:${e.id}:${data.endedAt}`, data }, c.now);
      if (s) out.push(s);
    }
    return out;
  },
  resolve(c: WatchContext): Promise<number> {
    return resolveFollowedUp(c, this.kinds);
  },
};
