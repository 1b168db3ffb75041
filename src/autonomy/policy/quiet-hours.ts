/**
 * Quiet hours: when a message proposed now may leave, in the business's time zone. The wall-clock
 * helpers live in `core/time-zone.ts` and are re-exported here for the policy's callers.
 */
import { localParts, instantsFor, wallMs, pick, MINUTE_MS, DAY_MS } from '../../core/time-zone.js';

export { localParts, zonedTimeToUtc, localDayStart, type LocalParts, type LocalDateTime } from '../../core/time-zone.js';

/** Minutes after local midnight for `HH:MM`. Throws `RangeError` for anything else. */
function minutesOf(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`expected a time as HH:MM (24-hour), got ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The local calendar date `days` after the given one. */
function addDays(l: { year: number; month: number; day: number }, days: number) {
  const d = new Date(wallMs({ year: l.year, month: l.month, day: l.day, hour: 0, minute: 0 }) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * When quiet hours holding `now` end.
 *
 * Quiet hours are the local wall-clock window `[start, end)`; when `start` is later than `end` the
 * window wraps midnight (e.g. 21:00–08:00). Membership is judged by the local clock reading at `now`
 * (to the second), so 07:59:30 is inside a window ending 08:00 and 08:00:00 is not.
 * @param now the instant to test.
 * @param timeZone IANA time zone of the business.
 * @param start local start time, `HH:MM` 24-hour, inclusive.
 * @param end local end time, `HH:MM` 24-hour, exclusive.
 * @returns `null` when `now` is outside quiet hours (or start equals end: no window); otherwise the
 *   first instant after `now` at which the local clock reads `end`. If `end` falls in a spring-forward
 *   gap that day, the instant the gap ends.
 */
export function quietHoursRelease(now: Date, timeZone: string, start: string, end: string): Date | null {
  const startMin = minutesOf(start);
  const endMin = minutesOf(end);
  if (startMin === endMin) return null;
  const local = localParts(now, timeZone);
  const t = local.hour * 60 + local.minute + local.second / 60;
  let releaseDay: { year: number; month: number; day: number };
  if (startMin < endMin) {
    if (t < startMin || t >= endMin) return null;
    releaseDay = local;
  } else if (t >= startMin) {
    releaseDay = addDays(local, 1);
  } else if (t < endMin) {
    releaseDay = local;
  } else {
    return null;
  }
  const target = { ...pick(releaseDay), hour: Math.floor(endMin / 60), minute: endMin % 60 };
  const candidates = instantsFor(target, timeZone);
  // In a fall-back overlap `now` may already be past the earlier reading of `end`.
  const next = candidates.find((c) => c > now.getTime()) ?? candidates[candidates.length - 1];
  return new Date(next ?? now.getTime() + MINUTE_MS);
}

