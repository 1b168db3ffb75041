import { localParts } from './time-zone.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Cached formatters: one per locale and time zone (building one costs far more than using it). */
const clocks = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall-clock time of `at` as the business writes it: `2:09 p.m.` in en-CA, `2:09 PM` in
 * en-US, `14:09` in en-GB (the locale's own hour cycle). Non-breaking spaces become plain ones, so
 * the words stay GSM-7 in a text message.
 */
export function localClockWords(at: Date, timeZone: string, locale = 'en-CA'): string {
  const key = `${locale}|${timeZone}`;
  let f = clocks.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone });
    clocks.set(key, f);
  }
  return f.format(at).replace(/[\u00a0\u202f]/g, ' ');
}

/**
 * An instant as a person reads it in the business's time zone: `8:00 a.m.` on the same local day
 * as `now`, `8:00 a.m. tomorrow` on the next one, otherwise `8:00 a.m. on Wed 2 Dec` (the year
 * added when it differs from `now`'s). The time follows the business's locale (its hour cycle),
 * as the dashboard's times follow the browser's.
 * @param at the instant to show.
 * @param timeZone IANA time zone of the business.
 * @param now the reference instant ("today"); defaults to the current time.
 * @param locale BCP 47 locale of the business (`tenant.yaml` `locale`, default en-CA).
 */
export function localTimeWords(at: Date, timeZone: string, now: Date = new Date(), locale = 'en-CA'): string {
  const l = localParts(at, timeZone);
  const n = localParts(now, timeZone);
  const hm = localClockWords(at, timeZone, locale);
  const dayNo = (p: { year: number; month: number; day: number }) => Date.UTC(p.year, p.month - 1, p.day) / 86_400_000;
  const diff = dayNo(l) - dayNo(n);
  if (diff === 0) return hm;
  if (diff === 1) return `${hm} tomorrow`;
  return `${hm} on ${DAYS[l.weekday]} ${l.day} ${MONTHS[l.month - 1]}${l.year !== n.year ? ` ${l.year}` : ''}`;
}
