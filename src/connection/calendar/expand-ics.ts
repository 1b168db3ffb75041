import ICAL from 'ical.js';
import { checkDuration, message, readRoots, spanOf, type EventStatus, type IcsOptions, type IcsQuarantine } from './parse-ics.js';
import { resolveTime, tzidOf, withFileZones, type IcalComponent } from './ics-time.js';

/**
 * Recurrence expansion: RRULE, RDATE, EXDATE and RECURRENCE-ID overrides, within a window, with a
 * cap. Wall-clock recurrence is done by ical.js in the event's own zone, so a weekly 09:00
 * America/New_York event stays at 09:00 local across DST changes.
 */

/** One concrete occurrence of an event. */
export interface IcsInstance {
  uid: string;
  /** `uid#<original start ISO>`: stable for this occurrence even when an override moves it. */
  key: string;
  /** The occurrence's original start (its RECURRENCE-ID). */
  originalStart: Date;
  start: Date;
  end: Date;
  allDay: boolean;
  summary: string | null;
  status: EventStatus;
  /** True when a RECURRENCE-ID override changed this occurrence. */
  overridden: boolean;
}

export interface ExpandOptions extends IcsOptions {
  /** Window start (inclusive): occurrences ending at or before it are left out. */
  from: Date;
  /** Window end (exclusive): occurrences starting at or after it are left out. */
  to: Date;
  /** Most occurrences returned over the whole file; default 1,000. */
  maxInstances?: number;
  /** Most recurrence steps examined per event (guards absurd rules); default 100,000. */
  maxSteps?: number;
}

export interface ExpandResult {
  instances: IcsInstance[];
  quarantined: IcsQuarantine[];
  /** True when `maxInstances` or `maxSteps` cut the expansion short. */
  truncated: boolean;
}

/**
 * Expands every VEVENT of a file into occurrences overlapping `[from, to)`, sorted by start.
 * Never throws on bad input: unreadable files or events are quarantined with the reason.
 */
export function expandIcs(text: string, opts: ExpandOptions): ExpandResult {
  const { roots, quarantined } = readRoots(text);
  const maxInstances = opts.maxInstances ?? 1000;
  const maxSteps = opts.maxSteps ?? 100_000;
  const instances: IcsInstance[] = [];
  let truncated = false;
  withFileZones(roots, () => {
    for (const root of roots) {
      const byUid = new Map<string, { master: IcalComponent | null; overrides: IcalComponent[] }>();
      for (const comp of root.getAllSubcomponents('vevent')) {
        const uid = String(comp.getFirstPropertyValue('uid') ?? '').trim();
        if (!uid) {
          quarantined.push({ ref: 'VEVENT', reason: 'VEVENT has no UID; export the calendar again from its source' });
          continue;
        }
        const g = byUid.get(uid) ?? { master: null, overrides: [] };
        if (comp.hasProperty('recurrence-id')) g.overrides.push(comp);
        else g.master = comp;
        byUid.set(uid, g);
      }
      for (const [uid, g] of byUid) {
        try {
          const r = expandOne(uid, g.master, g.overrides, opts, maxSteps, maxInstances - instances.length);
          instances.push(...r.instances);
          truncated ||= r.truncated;
        } catch (err) {
          quarantined.push({ ref: uid, reason: `cannot expand: ${message(err)}` });
        }
        if (instances.length >= maxInstances) {
          truncated = true;
          break;
        }
      }
    }
  });
  instances.sort((a, b) => a.start.getTime() - b.start.getTime());
  return { instances: instances.slice(0, maxInstances), quarantined, truncated };
}

function expandOne(
  uid: string,
  master: IcalComponent | null,
  overrides: IcalComponent[],
  opts: ExpandOptions,
  maxSteps: number,
  room: number,
): { instances: IcsInstance[]; truncated: boolean } {
  const zone = opts.defaultTimeZone;
  const out: IcsInstance[] = [];
  const seen = new Set<string>();
  const overlaps = (s: Date, e: Date) => s < opts.to && (e > opts.from || (e.getTime() === s.getTime() && s >= opts.from));
  const push = (inst: IcsInstance) => {
    if (seen.has(inst.key)) return;
    seen.add(inst.key);
    if (overlaps(inst.start, inst.end)) out.push(inst);
  };
  const statusOf = (c: IcalComponent): EventStatus => {
    const s = String(c.getFirstPropertyValue('status') ?? '').toUpperCase();
    return s === 'CANCELLED' ? 'cancelled' : s === 'TENTATIVE' ? 'tentative' : 'confirmed';
  };
  let truncated = false;
  if (master) {
    checkDuration(master);
    for (const o of overrides) checkDuration(o);
    const ev = new ICAL.Event(master, { exceptions: overrides, strictExceptions: true });
    const startTz = tzidOf(master, 'dtstart');
    const it = ev.iterator();
    let steps = 0;
    for (let next = it.next(); next; next = it.next()) {
      if (++steps > maxSteps || out.length >= room) {
        truncated = true;
        break;
      }
      const original = resolveTime(next, startTz, zone).at;
      if (original >= opts.to) break;
      const d = ev.getOccurrenceDetails(next);
      const { s, e } = spanOf(d.item, d.startDate, d.endDate, zone);
      const item = d.item.component;
      push({
        uid,
        key: `${uid}#${original.toISOString()}`,
        originalStart: original,
        start: s.at,
        end: e.at,
        allDay: s.date !== null,
        summary: item.getFirstPropertyValue('summary')?.toString() ?? null,
        status: statusOf(item),
        overridden: item !== master,
      });
    }
  }
  // Overrides whose original slot lies outside what was scanned but that were moved into the window
  // (or that have no master in this file, as CalDAV servers send for invitations to one occurrence).
  for (const o of overrides) {
    const rid = o.getFirstPropertyValue('recurrence-id');
    if (!(rid instanceof ICAL.Time)) continue;
    const original = resolveTime(rid, tzidOf(o, 'recurrence-id'), zone).at;
    const key = `${uid}#${original.toISOString()}`;
    if (seen.has(key) || (master && original < opts.to)) continue;
    const ev = new ICAL.Event(o);
    const { s, e } = spanOf(ev, ev.startDate, ev.endDate, zone);
    push({ uid, key, originalStart: original, start: s.at, end: e.at, allDay: s.date !== null, summary: o.getFirstPropertyValue('summary')?.toString() ?? null, status: statusOf(o), overridden: true });
  }
  return { instances: out, truncated };
}
