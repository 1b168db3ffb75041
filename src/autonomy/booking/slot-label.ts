import { localClockWords } from '../../core/time-words.js';

/**
 * How a slot's start reads for the customer, in the business's locale and zone, e.g.
 * "Thu, Dec 3, 10:00 a.m." (en-CA) or "jeu. 3 déc., 10 h 00" (fr-CA).
 */
export function slotLabel(start: Date, locale: string, timeZone: string): string {
  const loc = safeLocale(locale);
  const day = new Intl.DateTimeFormat(loc, { timeZone, weekday: 'short', month: 'short', day: 'numeric' }).format(start);
  const time = localClockWords(start, timeZone, loc);
  return `${day}, ${time}`;
}

function safeLocale(locale: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'en-CA';
  } catch {
    return 'en-CA';
  }
}
