/**
 * Pure wall-clock helpers (local time in an IANA zone ↔ instants), built only on `Intl.DateTimeFormat`.
 * Shared by the policy (quiet hours, per-day counting), the calendar and opening hours.
 *
 * Time zones are IANA names (e.g. `America/Toronto`); an unknown name throws a `RangeError` from
 * `Intl`. Instants are `Date`s (milliseconds since the Unix epoch, UTC). Local times are wall-clock
 * fields in the given zone, resolved to whole seconds.
 */

/** Wall-clock fields of an instant in a time zone. */
export interface LocalParts {
  /** Calendar year, e.g. 2026. */
  year: number;
  /** Month of the year, 1–12. */
  month: number;
  /** Day of the month, 1–31. */
  day: number;
  /** Hour of the day, 0–23. */
  hour: number;
  /** Minute of the hour, 0–59. */
  minute: number;
  /** Second of the minute, 0–59. */
  second: number;
  /** Day of the week, 0 = Sunday … 6 = Saturday (same numbering as `Date#getUTCDay`). */
  weekday: number;
}

/** A local wall-clock date and time to resolve to an instant. */
export interface LocalDateTime {
  /** Calendar year. */
  year: number;
  /** Month, 1–12. */
  month: number;
  /** Day of the month, 1–31. */
  day: number;
  /** Hour, 0–23. */
  hour: number;
  /** Minute, 0–59. */
  minute: number;
  /** Second, 0–59; 0 when absent. */
  second?: number;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The wall-clock fields of an instant in a time zone.
 * @param at the instant.
 * @param timeZone IANA time zone name.
 * @returns year, month (1–12), day, hour (0–23), minute, second and weekday (0 = Sunday).
 */
export function localParts(at: Date, timeZone: string): LocalParts {
  const out: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(at)) out[p.type] = p.value;
  const num = (k: string): number => Number(out[k]);
  let year = num('year');
  if (out.era === 'BC') year = 1 - year; // astronomical numbering: 1 BC is year 0
  return {
    year,
    month: num('month'),
    day: num('day'),
    hour: num('hour') % 24, // some engines print midnight as 24
    minute: num('minute'),
    second: num('second'),
    weekday: WEEKDAYS[out.weekday ?? ''] ?? new Date(Date.UTC(year, num('month') - 1, num('day'))).getUTCDay(),
  };
}

/** Wall-clock fields read as if they were UTC, in ms. `Date.UTC` maps years 0–99 to 1900s, so set it explicitly. */
export function wallMs(l: LocalDateTime): number {
  const d = new Date(Date.UTC(2000, l.month - 1, l.day, l.hour, l.minute, l.second ?? 0));
  d.setUTCFullYear(l.year, l.month - 1, l.day);
  return d.getTime();
}

/** The zone's offset from UTC at an instant, in ms (local = UTC + offset). */
function offsetMs(t: number, timeZone: string): number {
  const whole = Math.floor(t / 1000) * 1000;
  return wallMs(localParts(new Date(whole), timeZone)) - whole;
}

/**
 * Every instant whose local wall-clock time is `local`, earliest first: one normally, two in a
 * fall-back overlap. For a time in a spring-forward gap, the single instant the gap ends.
 */
export function instantsFor(local: LocalDateTime, timeZone: string): number[] {
  const wall = wallMs(local);
  const before = offsetMs(wall - DAY_MS, timeZone);
  const after = offsetMs(wall + DAY_MS, timeZone);
  const offsets = new Set([before, offsetMs(wall, timeZone), after]);
  const hits = [...offsets]
    .map((o) => wall - o)
    .filter((t) => offsetMs(t, timeZone) === wall - t)
    .sort((a, b) => a - b);
  if (hits.length > 0 || after <= before) return hits.length > 0 ? hits : [wall - before];
  // In a gap: the transition lies in (wall - after, wall - before]. Find it to the second.
  let lo = Math.floor((wall - after) / 1000);
  let hi = Math.ceil((wall - before) / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(mid * 1000, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return [hi * 1000];
}

/**
 * Resolves a local wall-clock time in a zone to an instant, correctly across DST changes.
 * A time that does not exist (spring-forward gap) gives the first instant after the gap, i.e. the
 * moment clocks jump; an ambiguous time (fall-back overlap) gives the earlier of its two instants.
 * @param local wall-clock date and time (month 1–12, hour 0–23).
 * @param timeZone IANA time zone name.
 */
export function zonedTimeToUtc(local: LocalDateTime, timeZone: string): Date {
  const first = instantsFor(local, timeZone)[0];
  return new Date(first ?? wallMs(local));
}

/** Just the calendar date of a local date-time. */
export function pick(l: { year: number; month: number; day: number }) {
  return { year: l.year, month: l.month, day: l.day };
}

/**
 * The instant the local calendar day containing `now` began, for counting "per day" limits.
 * Usually local midnight; where midnight is skipped by a DST change, the first instant of the day.
 * @param now any instant in the day.
 * @param timeZone IANA time zone of the business.
 */
export function localDayStart(now: Date, timeZone: string): Date {
  const l = localParts(now, timeZone);
  return zonedTimeToUtc({ year: l.year, month: l.month, day: l.day, hour: 0, minute: 0 }, timeZone);
}
