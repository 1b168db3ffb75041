import { sendToRun } from '../engine/run-parking.js';
import type { Db } from '../../store/db.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { slotLabel } from './slot-label.js';
import { bookingTopic } from './booking-api.js';
import type { TenantInfo } from '../../records/tenants.js';
import './tables.js';

/** A message to a booking's appointment run. */
export interface BookingMessage {
  type: 'cancel' | 'reschedule' | 'done' | 'no_show';
  /** The customer's words, when the message comes from them ("can we do Friday at 10?"). */
  text?: string;
}

/**
 * Sends a message to the appointment run that owns a booking (`DBOS.send` on {@link bookingTopic}).
 * Idempotent per booking and `type` (`key`, default the type): a repeated request is one message.
 * @throws NotFoundError for an unknown booking; ConflictError when it is not live (held, cancelled, over).
 */
export async function sendBookingMessage(db: Db, tenantId: string, bookingId: string, msg: BookingMessage, key: string = msg.type): Promise<{ bookingId: string; runId: string }> {
  const row = await db.selectFrom('bookings').select(['id', 'status', 'run_id']).where('tenant_id', '=', tenantId).where('id', '=', bookingId).executeTakeFirst();
  if (!row) throw new NotFoundError('booking', bookingId);
  if (!row.run_id || (row.status !== 'booked' && row.status !== 'confirmed')) {
    throw new ConflictError(`booking ${bookingId} is ${row.status}, not an upcoming booking`, 'Only booked or confirmed bookings can be changed; list them with GET /api/v1/bookings.');
  }
  await sendToRun(db, row.run_id, msg, bookingTopic(bookingId), `booking-message:${bookingId}:${key}`);
  return { bookingId, runId: row.run_id };
}

/** One upcoming booking as the API lists it. */
export interface BookingListItem {
  id: string;
  start: string;
  end: string;
  /** The start in the business's locale and zone, e.g. "Thu, Dec 3, 10:00 a.m.". */
  label: string;
  status: 'pending' | 'confirmed';
  contactId: string;
  name: string | null;
  channel: string;
  address: string;
  need: string | null;
  runId: string | null;
}

/** Booked or confirmed bookings that have not ended at `now`, earliest first (at most `limit`). */
export async function listUpcomingBookings(db: Db, tenant: TenantInfo, now: Date, limit = 100): Promise<BookingListItem[]> {
  const rows = await db
    .selectFrom('bookings')
    .selectAll()
    .where('tenant_id', '=', tenant.id)
    .where('status', 'in', ['booked', 'confirmed'])
    .where('ends_at', '>', now)
    .orderBy('starts_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id, start: r.starts_at.toISOString(), end: r.ends_at.toISOString(), label: slotLabel(r.starts_at, tenant.locale, tenant.timeZone),
    status: r.status === 'confirmed' ? 'confirmed' : 'pending', contactId: r.contact_id, name: r.name, channel: r.channel, address: r.address, need: r.need, runId: r.run_id,
  }));
}
