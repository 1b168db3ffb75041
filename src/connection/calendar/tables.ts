import type { ColumnType } from 'kysely';

/** Timestamp columns: read as Date, written as Date or ISO string. */
type Ts = ColumnType<Date, Date | string, Date | string>;
type TsDefault = ColumnType<Date, Date | string | undefined, Date | string>;

/** One attendee of a calendar event, as stored in `calendar_events.attendees`. */
export interface CalendarAttendee {
  /** Mail address without `mailto:`, lower-cased. */
  email: string;
  name?: string;
  /** RFC 5545 PARTSTAT, e.g. `NEEDS-ACTION`, `ACCEPTED`. */
  partstat?: string;
  /** RFC 5545 ROLE, e.g. `REQ-PARTICIPANT`. */
  role?: string;
}

/** Row shape of `calendar_events` (migration 0005-calendar). */
export interface CalendarEventsTable {
  id: string;
  tenant_id: string;
  connection_id: string | null;
  source: 'caldav' | 'ics' | 'builtin';
  /** CalDAV href, or UID (+ `#` + RECURRENCE-ID) for ICS feeds. */
  external_id: string;
  uid: string;
  etag: string | null;
  summary: string | null;
  description: string | null;
  location: string | null;
  starts_at: Ts;
  ends_at: Ts;
  all_day: ColumnType<boolean, boolean | undefined, boolean>;
  /** IANA zone of the event's DTSTART, or null for UTC / unknown. */
  time_zone: string | null;
  status: ColumnType<'confirmed' | 'tentative' | 'cancelled', 'confirmed' | 'tentative' | 'cancelled' | undefined, 'confirmed' | 'tentative' | 'cancelled'>;
  rrule: string | null;
  attendees: ColumnType<CalendarAttendee[], string | CalendarAttendee[] | undefined, string | CalendarAttendee[]>;
  raw_ics: string | null;
  updated_at: TsDefault;
}

declare module '../../store/schema.js' {
  interface Database {
    calendar_events: CalendarEventsTable;
  }
}
