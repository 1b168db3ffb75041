import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import { busyTimes } from '../../connection/calendar/busy-times.js';
import { uidFor } from '../../connection/calendar/caldav-actions.js';
import { newId } from '../../core/ids.js';
import type { BookingView } from './booking-store.js';
import '../../connection/calendar/tables.js';

/** A booking's event as it stands on the calendar now. */
export interface EventState {
  id: string;
  uid: string;
  start: string;
  end: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
}

/** The calendar event of a booking: summary, description, the customer as attendee. */
export interface BookingEvent {
  summary: string;
  description: string;
  location?: string | null;
  attendee?: { email: string; name?: string } | null;
}

/**
 * Whether the booking's time is still free on the calendar, just before writing it: busy time
 * other than the booking's own event overlapping `[start, end)`.
 */
export async function calendarStillFree(db: Db, tenantId: string, booking: BookingView): Promise<boolean> {
  const busy = await busyTimes(db, tenantId, new Date(booking.start), new Date(booking.end));
  return busy.busy.length === 0;
}

/**
 * Writes the booking on the business's built-in calendar (`calendar_events`, source `builtin`,
 * external id = booking id, UID from the run's idempotency key): once; a replay updates the same row.
 */
export async function writeBuiltinEvent(db: Db, tenant: TenantInfo, booking: BookingView, ev: BookingEvent, key: string): Promise<EventState> {
  const row = await db
    .insertInto('calendar_events')
    .values({
      id: newId('ev'), tenant_id: tenant.id, source: 'builtin', external_id: booking.id, uid: uidFor(key), summary: ev.summary, description: ev.description,
      location: ev.location ?? null, starts_at: booking.start, ends_at: booking.end, time_zone: tenant.timeZone, status: 'confirmed',
      attendees: JSON.stringify(ev.attendee ? [{ email: ev.attendee.email.toLowerCase(), name: ev.attendee.name, partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT' }] : []),
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'source', 'external_id']).doUpdateSet({ starts_at: booking.start, ends_at: booking.end, status: 'confirmed', updated_at: new Date() }))
    .returning(['id', 'uid', 'starts_at', 'ends_at', 'status'])
    .executeTakeFirstOrThrow();
  return state(row);
}

/** The booking's event now (null when it was deleted from the calendar). */
export async function readEvent(db: Db, tenantId: string, eventId: string): Promise<EventState | null> {
  const row = await db.selectFrom('calendar_events').select(['id', 'uid', 'starts_at', 'ends_at', 'status']).where('tenant_id', '=', tenantId).where('id', '=', eventId).executeTakeFirst();
  return row ? state(row) : null;
}

/** Marks the event cancelled (kept, so the calendar shows what happened). */
export async function cancelEvent(db: Db, tenantId: string, eventId: string): Promise<void> {
  await db.updateTable('calendar_events').set({ status: 'cancelled', updated_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', eventId).execute();
}

/** Moves the event to a new time. */
export async function moveEvent(db: Db, tenantId: string, eventId: string, start: string, end: string): Promise<void> {
  await db.updateTable('calendar_events').set({ starts_at: start, ends_at: end, updated_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', eventId).execute();
}

function state(r: { id: string; uid: string; starts_at: Date; ends_at: Date; status: EventState['status'] }): EventState {
  return { id: r.id, uid: r.uid, start: r.starts_at.toISOString(), end: r.ends_at.toISOString(), status: r.status };
}
