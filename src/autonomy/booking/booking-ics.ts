import ICAL from 'ical.js';
import { buildIcs } from '../../connection/calendar/caldav-actions.js';

/** What the invite says. Times ISO 8601. */
export interface InviteInput {
  uid: string;
  summary: string;
  start: string;
  end: string;
  description?: string;
  location?: string | null;
  /** The business's address (ORGANIZER), e.g. `bookings@ace.example`. */
  organizer: string;
  attendee: { email: string; name?: string };
  /** Higher for each change of the same event (RFC 5546: the client replaces the older one). */
  sequence?: number;
  method?: 'REQUEST' | 'CANCEL';
}

/**
 * iCalendar text of a booking invite with `METHOD:REQUEST` (or `CANCEL`, STATUS:CANCELLED), the
 * customer as ATTENDEE and the business as ORGANIZER (RFC 5546 iTIP), times in UTC.
 */
export function bookingInvite(i: InviteInput, now: Date): string {
  const text = buildIcs(i.uid, {
    summary: i.summary, start: i.start, end: i.end, attendees: [{ email: i.attendee.email, ...(i.attendee.name ? { name: i.attendee.name } : {}) }],
    organizer: i.organizer, ...(i.description ? { description: i.description } : {}), ...(i.location ? { location: i.location } : {}),
  }, now);
  const cal = new ICAL.Component(ICAL.parse(text));
  cal.addPropertyWithValue('method', i.method ?? 'REQUEST');
  const ev = cal.getFirstSubcomponent('vevent')!;
  ev.updatePropertyWithValue('sequence', i.sequence ?? 0);
  if (i.method === 'CANCEL') ev.updatePropertyWithValue('status', 'CANCELLED');
  return cal.toString();
}

/** The bare address of a From header: `"Ace" <b@ace.example>` → `b@ace.example`. */
export function bareAddress(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim();
}
