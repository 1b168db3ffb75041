import { localParts } from './time-zone.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as a person reads it in the business's time zone: `08:00` when it falls on the same
 * local day as `now`, otherwise `Wed 2 Dec 08:00` (the year is added when it differs).
 * @param at the instant to show.
 * @param timeZone IANA time zone of the business.
 * @param now the reference instant ("today"); defaults to the current time.
 */
export function localTimeWords(at: Date, timeZone: string, now: Date = new Date()): string {
  const l = localParts(at, timeZone);
  const n = localParts(now, timeZone);
  const hm = `${two(l.hour)}:${two(l.minute)}`;
  if (l.year === n.year && l.month === n.month && l.day === n.day) return hm;
  return `${DAYS[l.weekday]} ${l.day} ${MONTHS[l.month - 1]}${l.year !== n.year ? ` ${l.year}` : ''} ${hm}`;
}
