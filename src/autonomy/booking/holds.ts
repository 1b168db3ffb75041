import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import { findSlots } from '../../connection/calendar/availability.js';
import { busyTimes } from '../../connection/calendar/busy-times.js';
import { InputError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { availabilityRules, blockedRange } from './booking-rules.js';
import { offerSlots } from './offer-slots.js';
import { withBookingLock } from './booking-lock.js';
import type { BookingSummary, HoldRequest, HoldResult } from './booking-api.js';
import { LIVE_BOOKING_STATUSES, type BookingsTable } from './tables.js';
import type { Selectable } from 'kysely';

const MIN = 60_000;
/** PostgreSQL SQLSTATE of an exclusion-constraint violation. */
const EXCLUSION_VIOLATION = '23P01';

type BookingRow = Selectable<BookingsTable>;

function isLive(row: BookingRow, now: Date): boolean {
  if (!LIVE_BOOKING_STATUSES.includes(row.status)) return false;
  return !(row.status === 'held' && row.expires_at !== null && row.expires_at.getTime() <= now.getTime());
}

function okResult(row: BookingRow): HoldResult {
  return { ok: true, holdId: row.id, start: row.starts_at.toISOString(), end: row.ends_at.toISOString(), expiresAt: (row.expires_at ?? row.ends_at).toISOString() };
}

function parseInstant(s: string, field: string): Date {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new InputError(`${field}: not a date-time: ${JSON.stringify(s)}`, { fix: 'Pass an ISO 8601 instant such as 2026-12-03T15:00:00Z (e.g. an offered slot\'s start).' });
  return d;
}

/**
 * Whether `[start, end)` is a time the business takes bookings: inside its hours on an open day,
 * after the minimum notice, clear of calendar busy time (buffers included). Holds are not looked
 * at here: the exclusion constraint decides between them.
 */
export async function isBookableTime(db: Db, tenant: TenantInfo, start: Date, end: Date, now: Date): Promise<boolean> {
  const minutes = (end.getTime() - start.getTime()) / MIN;
  if (!Number.isInteger(minutes) || minutes <= 0 || start.getTime() % MIN !== 0) return false;
  const pad = (tenant.booking.buffer_before_minutes + tenant.booking.buffer_after_minutes) * MIN;
  const busy = await busyTimes(db, tenant.id, new Date(start.getTime() - pad), new Date(end.getTime() + pad));
  const slots = findSlots({
    rules: { ...availabilityRules(tenant), slotStepMinutes: 1 },
    booking: { id: 'check', durationMinutes: minutes },
    busy: busy.busy,
    from: start,
    to: end,
    now,
  });
  return slots.some((s) => s.start.getTime() === start.getTime());
}

/** See {@link import('./booking-api.js').holdSlot}. */
export async function holdSlot(db: Db, tenant: TenantInfo, req: HoldRequest): Promise<HoldResult> {
  const start = parseInstant(req.start, 'start');
  const end = req.end !== undefined ? parseInstant(req.end, 'end') : new Date(start.getTime() + tenant.booking.duration_minutes * MIN);
  if (!(end > start)) throw new InputError('end must be after start', { fix: 'Omit end to use the business\'s appointment length, or pass a later end.' });
  if (!req.key || !req.contactId) throw new InputError('holdSlot needs a key and a contactId', { fix: 'Pass an idempotency key such as `<runId>:hold:1` and the customer\'s contact id.' });
  const now = req.now;
  const alternatives = () => offerSlots(db, tenant, { now, exclude: [start.toISOString()] });

  const existing = await db.selectFrom('bookings').selectAll().where('tenant_id', '=', tenant.id).where('key', '=', req.key).executeTakeFirst();
  if (existing && isLive(existing, now)) return okResult(existing);
  if (existing && !['held', 'released', 'expired'].includes(existing.status)) return { ok: false, reason: 'taken', alternatives: await alternatives() };
  if (!(await isBookableTime(db, tenant, start, end, now))) return { ok: false, reason: 'unavailable', alternatives: await alternatives() };

  const blocked = blockedRange(tenant, start, end);
  const expiresAt = new Date(now.getTime() + tenant.booking.hold_minutes * MIN);
  let row: BookingRow | undefined;
  try {
    row = await withBookingLock(db, tenant.id, async (trx) => {
      await sql`update bookings set status = 'expired', updated_at = now()
        where tenant_id = ${tenant.id} and status = 'held' and expires_at <= ${now}
          and blocked && tstzrange(${blocked.from}, ${blocked.to}, '[)')`.execute(trx);
      if (existing) await trx.deleteFrom('bookings').where('id', '=', existing.id).where('status', 'in', ['held', 'released', 'expired']).execute();
      return trx
        .insertInto('bookings')
        .values({
          id: newId('bk'),
          tenant_id: tenant.id,
          contact_id: req.contactId,
          channel: req.channel,
          address: req.address,
          starts_at: start,
          ends_at: end,
          blocked: sql<string>`tstzrange(${blocked.from}, ${blocked.to}, '[)')` as unknown as string,
          status: 'held',
          expires_at: expiresAt,
          key: req.key,
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
        .returningAll()
        .executeTakeFirst();
    });
  } catch (e) {
    if ((e as { code?: string }).code === EXCLUSION_VIOLATION) return { ok: false, reason: 'taken', alternatives: await alternatives() };
    throw e;
  }
  if (row) return okResult(row);
  // The same key was held concurrently: that hold is this request's hold.
  const again = await db.selectFrom('bookings').selectAll().where('tenant_id', '=', tenant.id).where('key', '=', req.key).executeTakeFirst();
  if (again && isLive(again, now)) return okResult(again);
  return { ok: false, reason: 'taken', alternatives: await alternatives() };
}

/** See {@link import('./booking-api.js').releaseHold}. Only a `held` row is released; a booking is cancelled by its run. */
export async function releaseHold(db: Db, tenantId: string, holdId: string): Promise<void> {
  await withBookingLock(db, tenantId, (tx) => tx.updateTable('bookings').set({ status: 'released', updated_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', holdId).where('status', '=', 'held').execute());
}

/** Maps a stored status to the one other parts see. */
export function summaryStatus(s: BookingRow['status']): BookingSummary['status'] {
  if (s === 'confirmed') return 'confirmed';
  if (s === 'cancelled' || s === 'released' || s === 'expired') return 'cancelled';
  if (s === 'done' || s === 'no_show') return 'done';
  return 'pending';
}

/** See {@link import('./booking-api.js').upcomingBookingFor}. `now` defaults to the system clock. */
export async function upcomingBookingFor(db: Db, tenantId: string, contactId: string, now: Date = new Date()): Promise<BookingSummary | null> {
  const row = await db
    .selectFrom('bookings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contactId)
    .where('status', 'in', ['booked', 'confirmed'])
    .where('run_id', 'is not', null)
    .where('ends_at', '>', now)
    .orderBy('starts_at')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return { bookingId: row.id, runId: row.run_id!, start: row.starts_at.toISOString(), end: row.ends_at.toISOString(), status: summaryStatus(row.status) };
}
