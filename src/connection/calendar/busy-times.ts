import type { Db } from '../../store/db.js';
import type { BusyInterval } from './availability.js';

/** An event whose recurrence could not be expanded within budget: left out of busy time, with the reason. */
export interface BusyQuarantine {
  eventId: string;
  uid: string;
  reason: string;
}

/** Busy time of a business in a window, for the availability engine. */
export interface BusyTimes {
  busy: BusyInterval[];
  quarantined: BusyQuarantine[];
}

/**
 * The busy intervals of a tenant's calendars overlapping `[from, to)`: every calendar event that
 * is not cancelled (tentative counts as busy).
 *
 * FIRST CUT (issue 9 groundwork): single events only; recurring masters (`rrule` set) count by
 * their first occurrence. The recurrence work replaces this with budgeted expansion (RRULE, RDATE,
 * EXDATE, RECURRENCE-ID overrides, time zones) and keeps the signature.
 */
export async function busyTimes(db: Db, tenantId: string, from: Date, to: Date): Promise<BusyTimes> {
  const rows = await db
    .selectFrom('calendar_events')
    .select(['id', 'uid', 'starts_at', 'ends_at', 'status'])
    .where('tenant_id', '=', tenantId)
    .where('status', '!=', 'cancelled')
    .where('starts_at', '<', to)
    .where('ends_at', '>', from)
    .execute();
  return { busy: rows.map((r) => ({ start: r.starts_at, end: r.ends_at, status: r.status })), quarantined: [] };
}
