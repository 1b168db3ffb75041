import { InputError } from '../../core/errors.js';
import { localParts, zonedTimeToUtc } from '../../core/time-zone.js';
import type { LocalSlot, Platform } from './platform-rules.js';

/** Spacing rules of a week's calendar. */
export interface Spacing {
  /** Least time between two posts on the same platform, in hours (default 3). */
  platformGapHours: number;
  /** Least time between two posts on the same idea, on any platform, in hours (default 24). */
  ideaGapHours: number;
}

export const DEFAULT_SPACING: Spacing = { platformGapHours: 3, ideaGapHours: 24 };

/** A slot of the week: the platform and the instant (UTC) of its local best time. */
export interface WeekSlot {
  platform: Platform;
  at: Date;
}

const HOUR_MS = 3_600_000;

/** `YYYY-MM-DD` → its parts, or an InputError saying what to write. */
export function parseLocalDate(date: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const d = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)) : null;
  if (!m || !d || d.getUTCDate() !== +m[3]!) throw new InputError(`"${date}" is not a date`, { fix: 'Give the week as YYYY-MM-DD, e.g. 2026-12-07 (its Monday is used).' });
  return { year: +m[1]!, month: +m[2]!, day: +m[3]! };
}

/** The Monday (local calendar date) of the week holding `date`, as `YYYY-MM-DD`. */
export function mondayOf(date: string): string {
  const p = parseLocalDate(date);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** The Monday of the week after the one holding `now` in `timeZone`, as `YYYY-MM-DD`. */
export function nextMonday(now: Date, timeZone: string): string {
  const l = localParts(now, timeZone);
  const d = new Date(Date.UTC(l.year, l.month - 1, l.day));
  d.setUTCDate(d.getUTCDate() + (7 - ((d.getUTCDay() + 6) % 7)));
  return d.toISOString().slice(0, 10);
}

/** The instant of a local weekday slot in the week starting on local Monday `monday`. */
function slotInstant(monday: string, s: LocalSlot, timeZone: string): Date {
  const p = parseLocalDate(monday);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day));
  d.setUTCDate(d.getUTCDate() + ((s.weekday + 6) % 7));
  return zonedTimeToUtc({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: s.hour, minute: s.minute }, timeZone);
}

/**
 * `count` slots for one platform in the week starting on local Monday `monday`, in the audience's
 * time zone: the platform's best times in order of preference, then the same times on the other
 * weekdays, never two closer than `platformGapHours`. Returned in time order. DST-safe (local
 * wall-clock times resolved per day).
 */
export function platformSlots(platform: Platform, preferred: readonly LocalSlot[], monday: string, timeZone: string, count: number, spacing: Spacing = DEFAULT_SPACING): WeekSlot[] {
  const candidates: LocalSlot[] = [...preferred];
  for (const s of preferred) for (let wd = 1; wd <= 7; wd++) candidates.push({ weekday: wd % 7, hour: s.hour, minute: s.minute });
  const chosen: Date[] = [];
  for (const c of candidates) {
    if (chosen.length >= count) break;
    const at = slotInstant(monday, c, timeZone);
    if (chosen.some((t) => Math.abs(t.getTime() - at.getTime()) < spacing.platformGapHours * HOUR_MS)) continue;
    chosen.push(at);
  }
  return chosen.sort((a, b) => a.getTime() - b.getTime()).map((at) => ({ platform, at }));
}

/**
 * Splits a week's post count over platforms as evenly as their order allows (the first platforms
 * get the remainder): 20 over 5 → 4 each; 7 over 3 → 3, 2, 2.
 */
export function postsPerPlatform(total: number, platforms: readonly Platform[]): Map<Platform, number> {
  const out = new Map<Platform, number>();
  platforms.forEach((p, i) => out.set(p, Math.floor(total / platforms.length) + (i < total % platforms.length ? 1 : 0)));
  return out;
}

/** True when `at` is at least `ideaGapHours` from every time the idea is already scheduled. */
export function ideaSpaced(times: readonly Date[], at: Date, spacing: Spacing = DEFAULT_SPACING): boolean {
  return times.every((t) => Math.abs(t.getTime() - at.getTime()) >= spacing.ideaGapHours * HOUR_MS);
}
