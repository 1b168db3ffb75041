import { localParts } from './time-zone.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as a person reads it in the business's time zone: `08:00` on the same local day as
 * `now`, `08:00 tomorrow` on the next one, otherwise `08:00 on Wed 2 Dec` (the year added when it
 * differs from `now`'s).
 * @param at the instant to show.
 * @param timeZone IANA time zone of the business.
 * @param now the reference instant ("today"); defaults to the current time.
 */
export function localTimeWords(at: Date, timeZone: string, now: Date = new Date()): string {
  const l = localParts(at, timeZone);
  const n = localParts(now, timeZone);
  const hm = `${two(l.hour)}:${two(l.minute)}`;
  const dayNo = (p: { year: number; month: number; day: number }) => Date.UTC(p.year, p.month - 1, p.day) / 86_400_000;
  const diff = dayNo(l) - dayNo(n);
  if (diff === 0) return hm;
  if (diff === 1) return `${hm} tomorrow`;
  return `${hm} on ${DAYS[l.weekday]} ${l.day} ${MONTHS[l.month - 1]}${l.year !== n.year ? ` ${l.year}` : ''}`;
}
