import ICAL from 'ical.js';
import type { CalendarAttendee } from './tables.js';
import { resolveTime, tzidOf, withFileZones, type IcalComponent, type IcalTime, type ResolvedTime } from './ics-time.js';

/**
 * iCalendar (RFC 5545) and jCal (RFC 7265) import with ical.js. Never throws on bad input: a file
 * that cannot be read, or a VEVENT that lacks what AIOS needs, becomes a quarantined item with its
 * reason while the rest of the file is still imported.
 */

export type EventStatus = 'confirmed' | 'tentative' | 'cancelled';

/** One VEVENT: a single event, a recurring master, or an override of one occurrence. */
export interface IcsEvent {
  uid: string;
  /** Original start of the overridden occurrence (RECURRENCE-ID), null for masters/singles. */
  recurrenceId: Date | null;
  /** `uid`, or `uid#<recurrence-id ISO>` for an override: unique within a calendar. */
  key: string;
  summary: string | null;
  description: string | null;
  location: string | null;
  start: Date;
  /** Exclusive end; equals `start` for an instant event with neither DTEND nor DURATION. */
  end: Date;
  allDay: boolean;
  /** IANA zone of DTSTART when known (all-day: the default zone). */
  timeZone: string | null;
  status: EventStatus;
  /** The RRULE as text (e.g. `FREQ=WEEKLY;BYDAY=MO`), null when not recurring by rule. */
  rrule: string | null;
  attendees: CalendarAttendee[];
  /** Organizer's mail address without `mailto:`. */
  organizer: string | null;
  /** SEQUENCE, 0 when absent. */
  sequence: number;
  /** Things that were repaired on import (e.g. an unknown TZID read in the default zone). */
  warnings: string[];
  /** This VEVENT as iCalendar text. */
  raw: string;
}

/** A file or component that could not be imported. */
export interface IcsQuarantine {
  /** `file`, or the component's UID / position (`VEVENT #3`). */
  ref: string;
  reason: string;
}

export interface IcsOptions {
  /** IANA zone for floating times and all-day dates, normally the business's zone. */
  defaultTimeZone: string;
}

export interface IcsParseResult {
  events: IcsEvent[];
  quarantined: IcsQuarantine[];
  /** Components other than VEVENT/VTIMEZONE (VTODO, VJOURNAL, VFREEBUSY…), counted, not imported. */
  skipped: number;
}

/** Internal: parsed roots with zones, or the reason the file is unreadable. */
export function readRoots(text: string): { roots: IcalComponent[]; quarantined: IcsQuarantine[] } {
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trim()) return { roots: [], quarantined: [{ ref: 'file', reason: 'empty file: nothing to import' }] };
  let data: unknown;
  try {
    data = body.trimStart().startsWith('[') ? JSON.parse(body) : ICAL.parse(body);
  } catch (err) {
    return { roots: [], quarantined: [{ ref: 'file', reason: `not a readable iCalendar file: ${message(err)}` }] };
  }
  const list = Array.isArray(data) && typeof data[0] === 'string' ? [data] : Array.isArray(data) ? data : [];
  const roots: IcalComponent[] = [];
  const quarantined: IcsQuarantine[] = [];
  for (const jcal of list) {
    try {
      const root = new ICAL.Component(jcal as any[]);
      if (root.name !== 'vcalendar') quarantined.push({ ref: 'file', reason: `expected VCALENDAR, found ${root.name.toUpperCase()}` });
      else roots.push(root);
    } catch (err) {
      quarantined.push({ ref: 'file', reason: `malformed calendar structure: ${message(err)}` });
    }
  }
  if (roots.length === 0 && quarantined.length === 0) quarantined.push({ ref: 'file', reason: 'no VCALENDAR in file' });
  return { roots, quarantined };
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function textProp(comp: IcalComponent, name: string): string | null {
  const v = comp.getFirstPropertyValue(name);
  return v === null || v === undefined ? null : String(v);
}

function mailOf(v: unknown): string | null {
  if (typeof v !== 'string' || !v) return null;
  return v.replace(/^mailto:/i, '').trim().toLowerCase() || null;
}

function param(p: InstanceType<typeof ICAL.Property>, name: string): string | undefined {
  const v = p.getParameter(name);
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s ? s : undefined;
}

/** Attendees of a VEVENT (those without a mail address are dropped). */
export function attendeesOf(comp: IcalComponent): CalendarAttendee[] {
  const out: CalendarAttendee[] = [];
  for (const p of comp.getAllProperties('attendee')) {
    const email = mailOf(p.getFirstValue());
    if (!email) continue;
    const a: CalendarAttendee = { email };
    const name = param(p, 'cn');
    const partstat = param(p, 'partstat');
    const role = param(p, 'role');
    if (name) a.name = name;
    if (partstat) a.partstat = partstat.toUpperCase();
    if (role) a.role = role.toUpperCase();
    out.push(a);
  }
  return out;
}

function statusOf(comp: IcalComponent): EventStatus {
  const s = (textProp(comp, 'status') ?? '').toUpperCase();
  return s === 'CANCELLED' ? 'cancelled' : s === 'TENTATIVE' ? 'tentative' : 'confirmed';
}

/** Start and end of a VEVENT (or of an occurrence's Event item), validated. Throws with a reason. */
export function spanOf(ev: InstanceType<typeof ICAL.Event>, start: IcalTime, end: IcalTime, zone: string): { s: ResolvedTime; e: ResolvedTime } {
  const comp = ev.component;
  const startTz = tzidOf(comp, 'dtstart');
  const s = resolveTime(start, startTz, zone);
  const e = resolveTime(end, comp.hasProperty('dtend') ? tzidOf(comp, 'dtend') : startTz, zone);
  if (Number.isNaN(s.at.getTime())) throw new Error('DTSTART is not a valid date');
  if (Number.isNaN(e.at.getTime())) throw new Error('DTEND is not a valid date');
  if (e.at < s.at) throw new Error(`DTEND ${e.at.toISOString()} is before DTSTART ${s.at.toISOString()}`);
  return { s, e };
}

/** Longest DURATION accepted, in seconds (10 years); ical.js would spin on absurd values. */
export const MAX_DURATION_SECONDS = 10 * 366 * 86_400;

/** Throws when DURATION is absurdly long (ical.js normalises it day by day). */
export function checkDuration(comp: IcalComponent): void {
  const d = comp.getFirstPropertyValue('duration');
  if (d instanceof ICAL.Duration && Math.abs(d.toSeconds()) > MAX_DURATION_SECONDS) {
    throw new Error(`DURATION ${d.toString()} is longer than 10 years; fix the event at its source`);
  }
}

/** Builds one IcsEvent from a VEVENT; throws with a plain reason when it cannot be imported. */
function toEvent(comp: IcalComponent, zone: string): IcsEvent {
  const uid = textProp(comp, 'uid')?.trim();
  if (!uid) throw new Error('VEVENT has no UID; export the calendar again from its source (UIDs are required by RFC 5545)');
  const startProp = comp.getFirstPropertyValue('dtstart');
  if (!startProp || !(startProp instanceof ICAL.Time)) throw new Error('VEVENT has no valid DTSTART');
  checkDuration(comp);
  const ev = new ICAL.Event(comp);
  const { s, e } = spanOf(ev, ev.startDate, ev.endDate, zone);
  const rid = comp.getFirstPropertyValue('recurrence-id');
  const recurrenceId = rid instanceof ICAL.Time ? resolveTime(rid, tzidOf(comp, 'recurrence-id'), zone).at : null;
  const rrule = comp.getFirstPropertyValue('rrule');
  const warnings = [s.warning, e.warning].filter((w): w is string => !!w);
  const seq = Number(comp.getFirstPropertyValue('sequence') ?? 0);
  return {
    uid,
    recurrenceId,
    key: recurrenceId ? `${uid}#${recurrenceId.toISOString()}` : uid,
    summary: textProp(comp, 'summary'),
    description: textProp(comp, 'description'),
    location: textProp(comp, 'location'),
    start: s.at,
    end: e.at,
    allDay: s.date !== null,
    timeZone: s.zone,
    status: statusOf(comp),
    rrule: rrule ? rrule.toString() : null,
    attendees: attendeesOf(comp),
    organizer: mailOf(comp.getFirstPropertyValue('organizer')),
    sequence: Number.isFinite(seq) ? seq : 0,
    warnings: [...new Set(warnings)],
    raw: comp.toString(),
  };
}

/**
 * Parses an iCalendar or jCal text into events (masters, single events and overrides; recurring
 * events are not expanded here, see {@link expandIcs}).
 * @param text the file's content (UTF-8 text; a leading BOM is ignored).
 * @param opts `defaultTimeZone`: IANA zone for floating times and all-day dates.
 * @returns events, quarantined items with reasons, and the count of skipped non-event components.
 */
export function parseIcs(text: string, opts: IcsOptions): IcsParseResult {
  const { roots, quarantined } = readRoots(text);
  const events: IcsEvent[] = [];
  let skipped = 0;
  withFileZones(roots, () => {
    for (const root of roots) {
      let n = 0;
      for (const comp of root.getAllSubcomponents()) {
        if (comp.name === 'vtimezone') continue;
        if (comp.name !== 'vevent') {
          skipped++;
          continue;
        }
        n++;
        try {
          events.push(toEvent(comp, opts.defaultTimeZone));
        } catch (err) {
          let ref = `VEVENT #${n}`;
          try {
            ref = textProp(comp, 'uid') ?? ref;
          } catch {
            /* keep the position */
          }
          quarantined.push({ ref, reason: message(err) });
        }
      }
    }
  });
  return { events, quarantined, skipped };
}

/** A JSON-safe copy of an event (dates as ISO strings), for connector payloads. */
export function eventToJson(e: IcsEvent): Record<string, unknown> {
  return { ...e, start: e.start.toISOString(), end: e.end.toISOString(), recurrenceId: e.recurrenceId?.toISOString() ?? null };
}
