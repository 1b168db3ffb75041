import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import { findSlots, type BusyInterval, type Slot } from '../../connection/calendar/availability.js';
import { busyTimes } from '../../connection/calendar/busy-times.js';
import { localParts } from '../../core/time-zone.js';
import { availabilityRules, bookingType } from './booking-rules.js';
import { slotLabel } from './slot-label.js';
import type { OfferRequest, OfferedSlot, SlotOffer } from './booking-api.js';
import './tables.js';

const DAY_MS = 86_400_000;

/**
 * The time live holds and bookings of a tenant keep from others (their `blocked` ranges, buffers
 * included) overlapping `[from, to)`. A `held` row past its `expires_at` (at `now`) no longer counts.
 */
export async function liveBlockedTimes(db: Db, tenantId: string, from: Date, to: Date, now: Date): Promise<BusyInterval[]> {
  const rows = await sql<{ lo: Date; hi: Date }>`
    select lower(blocked) as lo, upper(blocked) as hi from bookings
    where tenant_id = ${tenantId}
      and status in ('held','booked','confirmed')
      and not (status = 'held' and expires_at <= ${now})
      and blocked && tstzrange(${from}, ${to}, '[)')`.execute(db);
  return rows.rows.map((r) => ({ start: new Date(r.lo), end: new Date(r.hi) }));
}

/**
 * Every bookable slot of the business in `[from, to)` (default: now … now + `days_ahead`), after its
 * hours, booking rules, calendar busy time (recurring events expanded by `busyTimes`) and live holds.
 */
export async function freeSlots(db: Db, tenant: TenantInfo, req: { now: Date; from?: Date; to?: Date; limit?: number }): Promise<Slot[]> {
  const from = req.from ?? req.now;
  const to = req.to ?? new Date(req.now.getTime() + tenant.booking.days_ahead * DAY_MS);
  if (!(to.getTime() > from.getTime())) return [];
  const pad = (tenant.booking.buffer_before_minutes + tenant.booking.buffer_after_minutes) * 60_000;
  const wideFrom = new Date(from.getTime() - pad);
  const wideTo = new Date(to.getTime() + pad);
  const [calendar, holds] = await Promise.all([busyTimes(db, tenant.id, wideFrom, wideTo), liveBlockedTimes(db, tenant.id, wideFrom, wideTo, req.now)]);
  return findSlots({
    rules: availabilityRules(tenant),
    booking: bookingType(tenant),
    busy: [...calendar.busy, ...holds],
    from,
    to,
    now: req.now,
    limit: req.limit ?? 2000,
  });
}

/** Morning (before 12:00 local) or afternoon, and the local date: what "spread" spreads over. */
function partOf(s: Slot): { date: string; pm: boolean } {
  return { date: s.business.start.date, pm: Number(s.business.start.time.slice(0, 2)) >= 12 };
}

/**
 * Picks `count` slots spread out: first the earliest, then each next one on a new day and in the
 * other part of the day when possible, then a new day, then a new (day, part), then any. Returned
 * earliest first.
 */
export function spreadSlots(slots: Slot[], count: number): Slot[] {
  const picked: Slot[] = [];
  const passes: Array<(s: Slot, last: Slot) => boolean> = [
    (s, last) => !picked.some((p) => partOf(p).date === partOf(s).date) && partOf(s).pm !== partOf(last).pm,
    (s) => !picked.some((p) => partOf(p).date === partOf(s).date),
    (s) => !picked.some((p) => partOf(p).date === partOf(s).date && partOf(p).pm === partOf(s).pm),
    () => true,
  ];
  if (slots.length === 0 || count <= 0) return [];
  picked.push(slots[0]!);
  for (const pass of passes) {
    let progress = true;
    while (picked.length < count && progress) {
      progress = false;
      const last = picked[picked.length - 1]!;
      const next = slots.find((s) => s.start > last.start && !picked.includes(s) && pass(s, last));
      if (next) {
        picked.push(next);
        progress = true;
      }
    }
  }
  return picked.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** See {@link import('./booking-api.js').offerSlots}. */
export async function offerSlots(db: Db, tenant: TenantInfo, req: OfferRequest): Promise<SlotOffer> {
  const exclude = new Set((req.exclude ?? []).map((s) => new Date(s).getTime()));
  const all = (await freeSlots(db, tenant, req)).filter((s) => !exclude.has(s.start.getTime()));
  const chosen = spreadSlots(all, req.count ?? 3);
  const slots: OfferedSlot[] = chosen.map((s, i) => ({
    n: i + 1,
    start: s.start.toISOString(),
    end: s.end.toISOString(),
    label: slotLabel(s.start, tenant.locale, tenant.timeZone),
  }));
  return { slots, timeZone: tenant.timeZone, offeredAt: req.now.toISOString() };
}

/** The local weekday (0 = Sunday) and date `YYYY-MM-DD` of an instant in a zone. */
export function localDay(at: Date, timeZone: string): { weekday: number; date: string } {
  const l = localParts(at, timeZone);
  return { weekday: l.weekday, date: `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}` };
}
