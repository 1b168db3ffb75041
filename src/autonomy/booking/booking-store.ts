import { sql, type Selectable } from 'kysely';
import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import { blockedRange } from './booking-rules.js';
import { withBookingLock } from './booking-lock.js';
import type { BookingStatus, BookingsTable } from './tables.js';

/** A `bookings` row as read. */
export type BookingRow = Selectable<BookingsTable>;

/** A booking as a run step returns it (JSON: ISO strings). */
export interface BookingView {
  id: string;
  contactId: string;
  channel: string;
  address: string;
  start: string;
  end: string;
  status: BookingStatus;
  runId: string | null;
  dealId: string | null;
  calendarEventId: string | null;
  name: string | null;
  email: string | null;
  need: string | null;
  location: string | null;
}

/** The JSON view of a row. */
export function bookingView(r: BookingRow): BookingView {
  return {
    id: r.id, contactId: r.contact_id, channel: r.channel, address: r.address, start: r.starts_at.toISOString(), end: r.ends_at.toISOString(),
    status: r.status, runId: r.run_id, dealId: r.deal_id, calendarEventId: r.calendar_event_id, name: r.name, email: r.email, need: r.need, location: r.location,
  };
}

/**
 * The appointment run takes a hold: `held` → `booked`, owned by `runId`, no longer expiring. A hold
 * still `held` past its expiry is taken too (nobody else can have overlapping time while it is
 * `held`); an expired, released or foreign hold is not. Replays return the same row.
 * @returns the booking, or null when the hold is gone.
 */
export async function takeHold(
  db: Db,
  tenantId: string,
  holdId: string,
  runId: string,
  details: { name?: string | null; email?: string | null; need?: string | null; location?: string | null },
): Promise<BookingView | null> {
  const row = await withBookingLock(db, tenantId, (tx) => tx
    .updateTable('bookings')
    .set({ status: 'booked', run_id: runId, expires_at: null, name: details.name ?? null, email: details.email ?? null, need: details.need ?? null, location: details.location ?? null, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', holdId)
    .where((eb) => eb.or([eb('status', '=', 'held'), eb.and([eb('run_id', '=', runId), eb('status', 'in', ['booked', 'confirmed'])])]))
    .returningAll()
    .executeTakeFirst());
  return row ? bookingView(row) : null;
}

/** Reads one booking of a tenant. */
export async function readBooking(db: Db, tenantId: string, id: string): Promise<BookingView | null> {
  const row = await db.selectFrom('bookings').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row ? bookingView(row) : null;
}

/** Sets a booking's status (and optionally its deal / calendar event). */
export async function updateBooking(db: Db, tenantId: string, id: string, set: { status?: BookingStatus; dealId?: string; calendarEventId?: string }): Promise<void> {
  await withBookingLock(db, tenantId, (tx) => tx
    .updateTable('bookings')
    .set({
      ...(set.status ? { status: set.status } : {}),
      ...(set.dealId ? { deal_id: set.dealId } : {}),
      ...(set.calendarEventId ? { calendar_event_id: set.calendarEventId } : {}),
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute());
}

/**
 * Moves a booking to the time of a new hold, in one transaction: the hold is released, then the
 * booking takes its time (the exclusion constraint still guards the new range).
 */
export async function moveBookingToHold(db: Db, tenant: TenantInfo, bookingId: string, holdId: string): Promise<BookingView> {
  return withBookingLock(db, tenant.id, async (tx) => {
    const hold = await tx.updateTable('bookings').set({ status: 'released', updated_at: new Date() }).where('tenant_id', '=', tenant.id).where('id', '=', holdId).returning(['starts_at', 'ends_at']).executeTakeFirstOrThrow();
    return moveBookingTo(tx, tenant, bookingId, hold.starts_at, hold.ends_at);
  });
}

/** Gives a booking a new time (e.g. the event was moved on the calendar). */
export async function moveBookingTo(db: Db, tenant: TenantInfo, bookingId: string, start: Date, end: Date): Promise<BookingView> {
  const b = blockedRange(tenant, start, end);
  const row = await withBookingLock(db, tenant.id, (tx) => tx
    .updateTable('bookings')
    .set({ starts_at: start, ends_at: end, blocked: sql<string>`tstzrange(${b.from}, ${b.to}, '[)')` as unknown as string, updated_at: new Date() })
    .where('tenant_id', '=', tenant.id)
    .where('id', '=', bookingId)
    .returningAll()
    .executeTakeFirstOrThrow());
  return bookingView(row);
}
