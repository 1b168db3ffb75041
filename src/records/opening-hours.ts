import type { TenantInfo } from './tenants.js';
import { localParts } from '../core/time-zone.js';

/** `profile.hours` keys by JavaScript weekday: 0 = Sunday … 6 = Saturday. */
export const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

/** Opening hours by weekday (`profile.hours` of tenant.yaml): `["08:00", "17:00"]` or `closed`. */
export type WeekHours = Partial<Record<WeekdayKey, readonly [string, string] | 'closed'>>;

/** The opening window of one weekday (0 = Sunday), `["HH:MM", "HH:MM"]`, or null when closed (a missing day is closed). */
export function hoursOn(hours: WeekHours, weekday: number): readonly [string, string] | null {
  const day = hours[WEEKDAY_KEYS[weekday]!];
  return day && day !== 'closed' ? day : null;
}

/**
 * The business's opening window on the local day of `at` (its time zone), null when closed that
 * day, undefined when it did not state its hours.
 */
export function hoursAt(tenant: Pick<TenantInfo, 'profile' | 'timeZone'>, at: Date): readonly [string, string] | null | undefined {
  const hours = tenant.profile.hours;
  return hours ? hoursOn(hours, localParts(at, tenant.timeZone).weekday) : undefined;
}

/** Whether the business is open at `at` by `profile.hours`; undefined when it did not state its hours. */
export function isOpenAt(tenant: Pick<TenantInfo, 'profile' | 'timeZone'>, at: Date): boolean | undefined {
  const day = hoursAt(tenant, at);
  if (day === undefined || day === null) return day === null ? false : undefined;
  const l = localParts(at, tenant.timeZone);
  const minutes = l.hour * 60 + l.minute;
  const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return minutes >= toMin(day[0]) && minutes < toMin(day[1]);
}
