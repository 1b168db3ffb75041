import { InputError } from '../../core/errors.js';

const DAY_MS = 86_400_000;
const utc = (ymd: string) => Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10)));
const ymdOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `ymd` plus `n` days (calendar days, no time zone involved). */
export function addDays(ymd: string, n: number): string {
  return ymdOf(utc(ymd) + n * DAY_MS);
}

/** The Monday of the Monday-to-Sunday week holding `ymd`. */
export function mondayOf(ymd: string): string {
  const dow = (new Date(utc(ymd)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(ymd, -dow);
}

/** The ISO 8601 week of a date, `2026-W48` (the year is the one holding the week's Thursday). */
export function isoWeekOf(ymd: string): string {
  const thursday = addDays(mondayOf(ymd), 3);
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((utc(thursday) - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * The Monday of an ISO week `YYYY-Www`.
 * @throws InputError for a malformed week or one the year does not have (W53 of most years).
 */
export function weekStart(isoWeek: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(isoWeek);
  if (!m) throw new InputError(`"${isoWeek}" is not an ISO week`, { fix: 'Write the week as YYYY-Www, e.g. 2026-W48.' });
  const jan4 = `${m[1]}-01-04`; // always in week 1
  const monday = addDays(mondayOf(jan4), (Number(m[2]) - 1) * 7);
  if (Number(m[2]) < 1 || isoWeekOf(monday) !== isoWeek) throw new InputError(`${isoWeek} does not exist`, { fix: `Weeks of ${m[1]} run from ${m[1]}-W01 to ${isoWeekOf(`${m[1]}-12-28`)}.` });
  return monday;
}

/** The last complete Monday-to-Sunday week before the local date `today`, as an ISO week. */
export function lastCompleteWeek(today: string): string {
  return isoWeekOf(addDays(mondayOf(today), -7));
}
