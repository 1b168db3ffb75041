import type { AvailabilityRules, BookingType, HoursWindow } from '../../connection/calendar/availability.js';
import type { TenantInfo } from '../../records/tenants.js';

import { hoursOn, WEEKDAY_KEYS, type WeekdayKey } from '../../records/opening-hours.js';

/** Opening hours used when tenant.yaml states none: Monday to Friday, 09:00–17:00. */
export const DEFAULT_HOURS: Readonly<Record<WeekdayKey, [string, string] | 'closed'>> = {
  sun: 'closed',
  mon: ['09:00', '17:00'],
  tue: ['09:00', '17:00'],
  wed: ['09:00', '17:00'],
  thu: ['09:00', '17:00'],
  fri: ['09:00', '17:00'],
  sat: 'closed',
};

/**
 * The availability rules of a business: `profile.hours` (mon..sun → 0..6, `closed` = no window;
 * unset → {@link DEFAULT_HOURS}) and its `booking:` section (buffers, notice, step, holidays), in
 * its time zone.
 */
export function availabilityRules(tenant: TenantInfo): AvailabilityRules {
  const src = tenant.profile.hours ?? DEFAULT_HOURS;
  const hours: AvailabilityRules['hours'] = {};
  WEEKDAY_KEYS.forEach((_name, i) => {
    const d = hoursOn(src, i);
    if (d) hours[i as 0] = [{ start: d[0], end: d[1] } satisfies HoursWindow];
  });
  const b = tenant.booking;
  return {
    timeZone: tenant.timeZone,
    hours,
    holidays: b.holidays,
    bufferBeforeMinutes: b.buffer_before_minutes,
    bufferAfterMinutes: b.buffer_after_minutes,
    minNoticeMinutes: b.min_notice_minutes,
    ...(b.slot_step_minutes !== undefined ? { slotStepMinutes: b.slot_step_minutes } : {}),
  };
}

/** The business's one kind of appointment (`booking.service_name`, `duration_minutes`). */
export function bookingType(tenant: TenantInfo): BookingType {
  return { id: 'default', durationMinutes: tenant.booking.duration_minutes };
}

/**
 * The time a booking `[start, end)` keeps from others: the appointment plus the buffers before
 * and after (what the `bookings.blocked` range and the exclusion constraint hold).
 */
export function blockedRange(tenant: TenantInfo, start: Date, end: Date): { from: Date; to: Date } {
  return {
    from: new Date(start.getTime() - tenant.booking.buffer_before_minutes * 60_000),
    to: new Date(end.getTime() + tenant.booking.buffer_after_minutes * 60_000),
  };
}
