import ICAL from 'ical.js';
import { PLATFORM_RULES, type Platform } from './platform-rules.js';

/** One scheduled post as the calendar shows it. */
export interface ScheduledEntry {
  /** Stable id (the post's), used in the event's UID so a re-export updates, not duplicates. */
  id: string;
  platform: Platform;
  at: Date;
  text: string;
  /** Short status word shown in the title, e.g. "approved". */
  status: string;
}

/** How long each post's calendar event lasts, in minutes (a marker, not a meeting). */
export const ICS_EVENT_MINUTES = 15;

/**
 * The schedule as an iCalendar file (RFC 5545): one VEVENT per post at its slot (UTC), titled
 * "<Platform>: <first words>" with the whole post as the description, UID `<id>@aios-content`.
 * Opens in any calendar app next to the owner's own week.
 */
export function scheduleIcs(entries: readonly ScheduledEntry[], now: Date): string {
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.addPropertyWithValue('prodid', '-//AIOS//Content schedule//EN');
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('x-wr-calname', 'AIOS posts');
  for (const e of [...entries].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const ev = new ICAL.Component('vevent');
    ev.addPropertyWithValue('uid', `${e.id}@aios-content`);
    ev.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(now, true));
    ev.addPropertyWithValue('dtstart', ICAL.Time.fromJSDate(e.at, true));
    ev.addPropertyWithValue('dtend', ICAL.Time.fromJSDate(new Date(e.at.getTime() + ICS_EVENT_MINUTES * 60_000), true));
    const first = e.text.replace(/\s+/g, ' ').trim();
    ev.addPropertyWithValue('summary', `${PLATFORM_RULES[e.platform].label}: ${first.length > 60 ? `${first.slice(0, 59)}…` : first}`);
    ev.addPropertyWithValue('description', `${e.text}\n\n(${e.status})`);
    ev.addPropertyWithValue('categories', PLATFORM_RULES[e.platform].label);
    ev.addPropertyWithValue('transp', 'TRANSPARENT');
    cal.addSubcomponent(ev);
  }
  return cal.toString();
}
