import type { Db } from '../../store/db.js';
import type { BusyInterval } from './availability.js';
import { localParts } from '../../core/time-zone.js';
import { quarantineItem } from '../framework/quarantine.js';
import { expandIcs } from './expand-ics.js';
import type { RecurrenceBudget } from './recurrence.js';
import './tables.js';

/** An event whose recurrence could not be expanded within budget: left out of busy time, with the reason. */
export interface BusyQuarantine {
  eventId: string;
  uid: string;
  reason: string;
}

/** Busy time of a business in a window, for the availability engine. */
export interface BusyTimes {
  busy: BusyInterval[];
  quarantined: BusyQuarantine[];
}

/** `source` of the quarantine rows written for recurring events over budget. */
export const RECURRENCE_QUARANTINE_SOURCE = 'calendar:recurrence';

interface EventRow {
  id: string;
  connection_id: string | null;
  external_id: string;
  uid: string;
  starts_at: Date;
  ends_at: Date;
  all_day: boolean;
  time_zone: string | null;
  status: 'confirmed' | 'tentative' | 'cancelled';
  rrule: string | null;
  raw_ics: string | null;
}

const COLUMNS = ['id', 'connection_id', 'external_id', 'uid', 'starts_at', 'ends_at', 'all_day', 'time_zone', 'status', 'rrule', 'raw_ics'] as const;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const groupKey = (r: { connection_id: string | null; uid: string }) => `${r.connection_id ?? ''}\u0000${r.uid}`;

/** A VEVENT for a master stored without its iCalendar text (e.g. built in): DTSTART in its own zone. */
function veventFromColumns(r: EventRow): string {
  const utc = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let start = `DTSTART:${utc(r.starts_at)}`;
  if (r.all_day && r.time_zone) {
    const l = localParts(r.starts_at, r.time_zone);
    start = `DTSTART;VALUE=DATE:${pad(l.year, 4)}${pad(l.month)}${pad(l.day)}`;
  } else if (r.time_zone) {
    const l = localParts(r.starts_at, r.time_zone);
    start = `DTSTART;TZID=${r.time_zone}:${pad(l.year, 4)}${pad(l.month)}${pad(l.day)}T${pad(l.hour)}${pad(l.minute)}${pad(l.second)}`;
  }
  const seconds = Math.round((r.ends_at.getTime() - r.starts_at.getTime()) / 1000);
  return ['BEGIN:VEVENT', `UID:${r.uid}`, start, `DURATION:PT${seconds}S`, `RRULE:${r.rrule}`, 'END:VEVENT'].join('\r\n');
}

/**
 * The busy intervals of a tenant's calendars overlapping `[from, to)`: every event that is not
 * cancelled (tentative counts as busy). Recurring masters (`rrule` set) are expanded within the
 * window in their own zone (RRULE, RDATE, EXDATE, all-day dates; floating times in the tenant's
 * zone), with their RECURRENCE-ID override rows applied (a moved occurrence is busy where it
 * moved to, a cancelled one is free). A master whose expansion exceeds the budget is left out,
 * returned in `quarantined` and recorded in the `quarantine` table with the reason; the rest of
 * the calendar still counts.
 * @param from window start (inclusive); @param to window end (exclusive).
 * @param opts `budget`: per-event limits (default 100 ms, 5,000 occurrences).
 */
export async function busyTimes(db: Db, tenantId: string, from: Date, to: Date, opts: { budget?: Partial<RecurrenceBudget> } = {}): Promise<BusyTimes> {
  const tenant = await db.selectFrom('tenants').select('time_zone').where('id', '=', tenantId).executeTakeFirst();
  const zone = tenant?.time_zone ?? 'UTC';
  const masters: EventRow[] = await db
    .selectFrom('calendar_events')
    .select(COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('rrule', 'is not', null)
    .where('starts_at', '<', to)
    .execute();
  const recurring = new Set(masters.map(groupKey));
  const uids = [...new Set(masters.map((m) => m.uid))];
  // Overrides of a recurring master may have moved anywhere, so they are read whatever their time.
  const overrides: EventRow[] = uids.length
    ? await db.selectFrom('calendar_events').select(COLUMNS).where('tenant_id', '=', tenantId).where('rrule', 'is', null).where('uid', 'in', uids).execute()
    : [];
  const singles: EventRow[] = await db
    .selectFrom('calendar_events')
    .select(COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('rrule', 'is', null)
    .where('status', '!=', 'cancelled')
    .where('starts_at', '<', to)
    .where('ends_at', '>', from)
    .execute();
  const busy: BusyInterval[] = singles.filter((r) => !recurring.has(groupKey(r))).map((r) => ({ start: r.starts_at, end: r.ends_at, status: r.status }));
  const quarantined: BusyQuarantine[] = [];
  for (const m of masters) {
    if (m.status === 'cancelled') continue; // the whole series, its overrides included
    const own = overrides.filter((o) => groupKey(o) === groupKey(m) && o.raw_ics);
    const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//aios//busy-times//EN', m.raw_ics?.trim() || veventFromColumns(m), ...own.map((o) => o.raw_ics!.trim()), 'END:VCALENDAR', ''].join('\r\n');
    const r = expandIcs(text, { defaultTimeZone: zone, from, to, maxInstances: Number.MAX_SAFE_INTEGER, ...(opts.budget ? { budget: opts.budget } : {}) });
    if (r.quarantined.length) {
      const reason = r.quarantined.map((q) => q.reason).join('; ');
      quarantined.push({ eventId: m.id, uid: m.uid, reason });
      try {
        await quarantineItem(db, { tenantId, connectionId: m.connection_id, source: RECURRENCE_QUARANTINE_SOURCE, externalId: m.external_id, reason, sample: `RRULE:${m.rrule}` });
      } catch {
        /* the record is best effort: busy time is still answered, with the reason in `quarantined` */
      }
      continue;
    }
    for (const i of r.instances) if (i.status !== 'cancelled') busy.push({ start: i.start, end: i.end, status: i.status });
  }
  busy.sort((a, b) => a.start.getTime() - b.start.getTime());
  return { busy, quarantined };
}
