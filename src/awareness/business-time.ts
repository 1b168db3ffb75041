import { localParts, zonedTimeToUtc, wallMs, DAY_MS } from '../core/time-zone.js';

import { hoursOn, type WeekHours } from '../records/opening-hours.js';
import type { TenantInfo } from '../records/tenants.js';
import { holidayCalendar, NO_HOLIDAYS, type IsHoliday } from './holidays.js';

export type { WeekHours } from '../records/opening-hours.js';

function hm(s: string): { hour: number; minute: number } {
  const [h, m] = s.split(':').map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Milliseconds of opening time between `from` and `to`: only the parts of the interval inside
 * the business's hours on each local day (time zone `timeZone`, DST-correct) count; a day for which
 * `isHoliday` (local `YYYY-MM-DD`) is true counts nothing. Without stated hours every millisecond of
 * a non-holiday day counts. A day missing from `hours` is closed. At most 400 days are looked at.
 * @returns milliseconds (0 when `to` is not after `from`).
 */
export function businessMsBetween(hours: WeekHours | undefined, timeZone: string, from: Date, to: Date, isHoliday: IsHoliday = NO_HOLIDAYS): number {
  if (to.getTime() <= from.getTime()) return 0;
  if (!hours && isHoliday === NO_HOLIDAYS) return to.getTime() - from.getTime();
  const start = localParts(from, timeZone);
  let dayWall = wallMs({ year: start.year, month: start.month, day: start.day, hour: 0, minute: 0 });
  let total = 0;
  for (let i = 0; i < 400; i++) {
    const d = new Date(dayWall);
    const date = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
    const spec = hours ? hoursOn(hours, d.getUTCDay()) : (['00:00', '24:00'] as const);
    const b = dayBounds(timeZone, date, dayWall, spec);
    if (b.start >= to.getTime()) break;
    if (b.open !== null && b.close !== null && !isHoliday(`${date.year}-${pad(date.month)}-${pad(date.day)}`)) {
      total += Math.max(0, Math.min(b.close, to.getTime()) - Math.max(b.open, from.getTime()));
    }
    dayWall += DAY_MS;
  }
  return total;
}

/** Instants of a local day's start, opening and closing (ms), cached: zone arithmetic is the costly part of a pass. */
const bounds = new Map<string, { start: number; open: number | null; close: number | null }>();

function dayBounds(timeZone: string, date: { year: number; month: number; day: number }, dayWall: number, spec: readonly [string, string] | null): { start: number; open: number | null; close: number | null } {
  const key = `${timeZone}|${dayWall}|${spec ? spec.join('-') : 'closed'}`;
  let b = bounds.get(key);
  if (!b) {
    if (bounds.size > 20_000) bounds.clear();
    const start = zonedTimeToUtc({ ...date, hour: 0, minute: 0 }, timeZone).getTime();
    const open = spec ? zonedTimeToUtc({ ...date, ...hm(spec[0]) }, timeZone).getTime() : null;
    const close = !spec ? null : spec[1] === '24:00' ? zonedTimeToUtc({ ...nextDay(dayWall), hour: 0, minute: 0 }, timeZone).getTime() : zonedTimeToUtc({ ...date, ...hm(spec[1]) }, timeZone).getTime();
    bounds.set(key, (b = { start, open, close }));
  }
  return b;
}

function nextDay(dayWall: number): { year: number; month: number; day: number } {
  const n = new Date(dayWall + DAY_MS);
  return { year: n.getUTCFullYear(), month: n.getUTCMonth() + 1, day: n.getUTCDate() };
}

/** Business milliseconds between two instants for `tenant`: its `profile.hours`, zone and `holidays:`. */
export function tenantBusinessMs(tenant: Pick<TenantInfo, 'profile' | 'timeZone' | 'holidays'>, from: Date, to: Date): number {
  return businessMsBetween(tenant.profile.hours, tenant.timeZone, from, to, holidayCalendar(tenant.holidays));
}
