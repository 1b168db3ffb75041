import { localParts, zonedTimeToUtc, wallMs, DAY_MS } from '../core/time-zone.js';

import { hoursOn, type WeekHours } from '../records/opening-hours.js';

export type { WeekHours } from '../records/opening-hours.js';

function hm(s: string): { hour: number; minute: number } {
  const [h, m] = s.split(':').map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}

/**
 * Milliseconds of opening time between `from` and `to`: only the parts of the interval inside
 * the business's hours on each local day (time zone `timeZone`, DST-correct) count. Without stated
 * hours every millisecond counts. A day missing from `hours` is closed. At most 400 days are looked at.
 * @returns milliseconds (0 when `to` is not after `from`).
 */
export function businessMsBetween(hours: WeekHours | undefined, timeZone: string, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  if (!hours) return to.getTime() - from.getTime();
  const start = localParts(from, timeZone);
  let dayWall = wallMs({ year: start.year, month: start.month, day: start.day, hour: 0, minute: 0 });
  let total = 0;
  for (let i = 0; i < 400; i++) {
    const d = new Date(dayWall);
    const date = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
    const dayStart = zonedTimeToUtc({ ...date, hour: 0, minute: 0 }, timeZone);
    if (dayStart.getTime() >= to.getTime()) break;
    const spec = hoursOn(hours, d.getUTCDay());
    if (spec) {
      const open = zonedTimeToUtc({ ...date, ...hm(spec[0]) }, timeZone).getTime();
      const close = zonedTimeToUtc({ ...date, ...hm(spec[1]) }, timeZone).getTime();
      total += Math.max(0, Math.min(close, to.getTime()) - Math.max(open, from.getTime()));
    }
    dayWall += DAY_MS;
  }
  return total;
}
