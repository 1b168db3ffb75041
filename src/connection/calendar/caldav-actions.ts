import ICAL from 'ical.js';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConnectorError } from '../framework/connector-error.js';

/**
 * Writing events to a CalDAV calendar: build iCalendar text, PUT it with preconditions
 * (`If-None-Match: *` to create exactly once, `If-Match` to update what we read).
 */

const attendee = z.object({ email: z.string().email(), name: z.string().optional() });

export const createInput = z.object({
  summary: z.string().min(1),
  /** ISO 8601 instants. */
  start: z.string().datetime({ offset: true }),
  end: z.string().datetime({ offset: true }),
  description: z.string().optional(),
  location: z.string().optional(),
  attendees: z.array(attendee).default([]),
  /** Organizer's mail address. */
  organizer: z.string().email().optional(),
});
export type CreateInput = z.infer<typeof createInput>;

export const updateInput = z.object({
  uid: z.string().min(1),
  /** Server path or URL of the object; default `<calendar>/<uid>.ics` (events AIOS created). */
  href: z.string().optional(),
  summary: z.string().min(1).optional(),
  start: z.string().datetime({ offset: true }).optional(),
  end: z.string().datetime({ offset: true }).optional(),
  description: z.string().optional(),
  location: z.string().optional(),
  attendees: z.array(attendee).optional(),
});
export type UpdateInput = z.infer<typeof updateInput>;

export const cancelInput = z.object({
  uid: z.string().min(1),
  href: z.string().optional(),
  /** `cancel` keeps the event with STATUS:CANCELLED (attendees see it); `delete` removes it. */
  mode: z.enum(['cancel', 'delete']).default('cancel'),
});
export type CancelInput = z.infer<typeof cancelInput>;

export interface WriteResult {
  uid: string;
  href: string;
  etag: string | null;
  /** False when the call was a replay of an earlier one (nothing changed at the server). */
  changed: boolean;
}

/** UID for an idempotency key: the same key always names the same event. */
export function uidFor(idempotencyKey: string): string {
  return `aios-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}`;
}

function utc(iso: string) {
  return ICAL.Time.fromJSDate(new Date(iso), true);
}

function setAttendees(ev: InstanceType<typeof ICAL.Component>, list: Array<{ email: string; name?: string | undefined }>): void {
  ev.removeAllProperties('attendee');
  for (const a of list) {
    const p = new ICAL.Property('attendee');
    p.setValue(`mailto:${a.email}`);
    if (a.name) p.setParameter('cn', a.name);
    p.setParameter('partstat', 'NEEDS-ACTION');
    p.setParameter('rsvp', 'TRUE');
    ev.addProperty(p);
  }
}

/** iCalendar text for a new event (times written in UTC). */
export function buildIcs(uid: string, input: CreateInput, now: Date): string {
  if (new Date(input.end) < new Date(input.start)) throw new ConnectorError('invalid_input', `end ${input.end} is before start ${input.start}`, { fix: 'Give an end at or after the start.' });
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.addPropertyWithValue('prodid', '-//AIOS//Calendar//EN');
  cal.addPropertyWithValue('version', '2.0');
  const ev = new ICAL.Component('vevent');
  ev.addPropertyWithValue('uid', uid);
  ev.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(now, true));
  ev.addPropertyWithValue('dtstart', utc(input.start));
  ev.addPropertyWithValue('dtend', utc(input.end));
  ev.addPropertyWithValue('summary', input.summary);
  ev.addPropertyWithValue('sequence', 0);
  ev.addPropertyWithValue('status', 'CONFIRMED');
  if (input.description) ev.addPropertyWithValue('description', input.description);
  if (input.location) ev.addPropertyWithValue('location', input.location);
  if (input.organizer) ev.addPropertyWithValue('organizer', `mailto:${input.organizer}`);
  setAttendees(ev, input.attendees);
  cal.addSubcomponent(ev);
  return cal.toString();
}

/**
 * Applies a change to stored iCalendar text: the master VEVENT's fields, SEQUENCE + 1, new DTSTAMP.
 * @returns the new text, or null when nothing differs (a replay).
 */
export function applyChange(text: string, change: Omit<UpdateInput, 'uid' | 'href'> & { status?: 'CANCELLED' }, now: Date): string | null {
  const cal = new ICAL.Component(ICAL.parse(text));
  const ev = cal.getAllSubcomponents('vevent').find((c) => !c.hasProperty('recurrence-id'));
  if (!ev) throw new ConnectorError('protocol', 'the stored object has no VEVENT', { fix: 'Edit this event in the calendar app instead.' });
  const before = ev.toString();
  const set = (name: string, v: unknown) => (ev.hasProperty(name) ? ev.updatePropertyWithValue(name, v) : ev.addPropertyWithValue(name, v));
  if (change.summary !== undefined) set('summary', change.summary);
  if (change.description !== undefined) set('description', change.description);
  if (change.location !== undefined) set('location', change.location);
  if (change.start !== undefined) ev.removeAllProperties('dtstart'), set('dtstart', utc(change.start));
  if (change.end !== undefined) ev.removeAllProperties('dtend'), ev.removeAllProperties('duration'), set('dtend', utc(change.end));
  if (change.attendees !== undefined) setAttendees(ev, change.attendees);
  if (change.status !== undefined) set('status', change.status);
  if (ev.toString() === before) return null;
  set('sequence', Number(ev.getFirstPropertyValue('sequence') ?? 0) + 1);
  set('dtstamp', ICAL.Time.fromJSDate(now, true));
  return cal.toString();
}
