import ICAL from 'ical.js';
import { zonedTimeToUtc } from '../../core/time-zone.js';
import { checkDuration, message, readRoots, spanOf, type EventStatus, type IcsOptions, type IcsQuarantine } from './parse-ics.js';
import { ianaFromTzid, resolveTime, tzidOf, withFileZones, type IcalComponent, type IcalTime } from './ics-time.js';
import { expandRuleBounded } from './bounded-expansion.js';
import { DEFAULT_RECURRENCE_BUDGET, utcStamp, type RecurrenceBudget, type RuleOccurrence, type RuleSpec, type WallTime } from './recurrence.js';

/**
 * Recurrence expansion of an iCalendar file: RRULE, RDATE, EXDATE and RECURRENCE-ID overrides,
 * within a window. ical.js parses the file and its VTIMEZONEs; the rule itself is expanded by
 * rrule-temporal (see `recurrence.ts`) in the event's own zone, so a weekly 09:00
 * America/New_York event stays at 09:00 local across DST changes. Every event runs under a
 * {@link RecurrenceBudget}: one that exceeds it is quarantined with the reason and the rest of the
 * file still counts.
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
  /** Time and count limits per event per window; default 100 ms and 5,000 occurrences. */
  budget?: Partial<RecurrenceBudget>;
}

export interface ExpandResult {
  instances: IcsInstance[];
  /** Unreadable files or events, and events whose recurrence ran out of budget, with the reason. */
  quarantined: IcsQuarantine[];
  /** True when `maxInstances` cut the result short. */
  truncated: boolean;
}

/**
 * Expands every VEVENT of a file into occurrences overlapping `[from, to)`, sorted by start.
 * Never throws on bad input: unreadable files or events, and events over budget, are quarantined
 * with the reason.
 */
export function expandIcs(text: string, opts: ExpandOptions): ExpandResult {
  const { roots, quarantined } = readRoots(text);
  const maxInstances = opts.maxInstances ?? 1000;
  const budget: RecurrenceBudget = { ...DEFAULT_RECURRENCE_BUDGET, ...opts.budget };
  const instances: IcsInstance[] = [];
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
          const r = expandEvent(uid, g.master, g.overrides, opts, budget);
          if (r.reason) quarantined.push({ ref: uid, reason: r.reason });
          else instances.push(...r.instances);
        } catch (err) {
          quarantined.push({ ref: uid, reason: `cannot expand: ${message(err)}` });
        }
      }
    }
  });
  instances.sort((a, b) => a.start.getTime() - b.start.getTime());
  return { instances: instances.slice(0, maxInstances), quarantined, truncated: instances.length > maxInstances };
}

function statusOf(c: IcalComponent): EventStatus {
  const s = String(c.getFirstPropertyValue('status') ?? '').toUpperCase();
  return s === 'CANCELLED' ? 'cancelled' : s === 'TENTATIVE' ? 'tentative' : 'confirmed';
}

const summaryOf = (c: IcalComponent) => c.getFirstPropertyValue('summary')?.toString() ?? null;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const stamp = (w: WallTime) => `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;

/** Wall-clock fields `days` days after `w` (calendar days, time of day kept). */
function addDays(w: WallTime, days: number): WallTime {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days, w.hour, w.minute, w.second));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/** How a master's times map to the rule and back: its RuleSpec and the instant of a wall time. */
interface RulePlan {
  spec: Omit<RuleSpec, 'rdates' | 'exdates'>;
  /** The instant of an occurrence (honours a VTIMEZONE from the file). */
  instantOf(o: RuleOccurrence): Date;
  /** A RDATE / EXDATE value in the rule's terms (`YYYYMMDDTHHMMSSZ`). */
  stampOf(t: IcalTime, tzidParam: string | null): string;
  /** IANA zone for nominal (calendar-day) durations, or null to use exact durations only. */
  nominalZone: string | null;
}

function planFor(master: IcalComponent, ds: IcalTime, zone: string): RulePlan {
  const startTz = tzidOf(master, 'dtstart');
  const fields = (t: IcalTime): WallTime => ({ year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second });
  const byInstant = (t: IcalTime, tz: string | null) => utcStamp(resolveTime(t, tz, zone).at);
  if (ds.isDate) {
    const spec = { dtstart: stamp({ ...fields(ds), hour: 0, minute: 0, second: 0 }), tzid: zone, rrule: rruleOf(master) };
    return { spec, instantOf: (o) => o.at, stampOf: byInstant, nominalZone: zone };
  }
  const z = ds.zone;
  const isUtc = z === ICAL.Timezone.utcTimezone || z?.tzid === 'UTC' || z?.tzid === 'Z';
  const fileZone = !isUtc && z && z !== ICAL.Timezone.localTimezone && z.tzid && z.tzid !== 'floating' ? z : null;
  if (fileZone) {
    // A VTIMEZONE from the file: recur in the IANA zone of the same name when there is one (DST
    // gaps resolved by the library), else in plain wall-clock time; ical.js gives the instants.
    const iana = ianaFromTzid(startTz);
    const toInstant = (w: WallTime) => new Date(new ICAL.Time({ ...w, isDate: false }, fileZone).toUnixTime() * 1000);
    const spec = { dtstart: stamp(fields(ds)), tzid: iana ?? 'UTC', rrule: rruleOf(master) };
    if (iana) return { spec, instantOf: (o) => toInstant(o.wall), stampOf: byInstant, nominalZone: iana };
    return {
      spec,
      instantOf: (o) => toInstant(o.wall),
      stampOf: (t) => `${stamp(fields(t.convertToZone(fileZone)))}Z`,
      nominalZone: null,
    };
  }
  const tzid = isUtc ? 'UTC' : (ianaFromTzid(startTz) ?? zone);
  return { spec: { dtstart: stamp(fields(ds)), tzid, rrule: rruleOf(master) }, instantOf: (o) => o.at, stampOf: byInstant, nominalZone: tzid };
}

function rruleOf(master: IcalComponent): string | null {
  const r = master.getFirstPropertyValue('rrule');
  return r ? r.toString() : null;
}

/** Values of every RDATE or EXDATE property as rule stamps (PERIOD values by their start). */
function datesOf(master: IcalComponent, prop: 'rdate' | 'exdate', plan: RulePlan): string[] {
  const out: string[] = [];
  for (const p of master.getAllProperties(prop)) {
    const tz = typeof p.getParameter('tzid') === 'string' ? (p.getParameter('tzid') as string) : null;
    for (const v of p.getValues()) {
      const t = v instanceof ICAL.Period ? v.start : v;
      if (t instanceof ICAL.Time) out.push(plan.stampOf(t, tz));
    }
  }
  return out;
}

function expandEvent(
  uid: string,
  master: IcalComponent | null,
  overrides: IcalComponent[],
  opts: ExpandOptions,
  budget: RecurrenceBudget,
): { instances: IcsInstance[]; reason?: string } {
  const zone = opts.defaultTimeZone;
  const overlaps = (s: Date, e: Date) => s < opts.to && (e > opts.from || (e.getTime() === s.getTime() && s >= opts.from));
  // Overrides replace the occurrence whose original start is their RECURRENCE-ID, wherever they
  // moved it (into the window, out of it, or cancelled).
  const replaced = new Map<string, IcsInstance>();
  for (const o of overrides) {
    checkDuration(o);
    const rid = o.getFirstPropertyValue('recurrence-id');
    if (!(rid instanceof ICAL.Time)) continue;
    const original = resolveTime(rid, tzidOf(o, 'recurrence-id'), zone).at;
    const ev = new ICAL.Event(o);
    const { s, e } = spanOf(ev, ev.startDate, ev.endDate, zone);
    const key = `${uid}#${original.toISOString()}`;
    replaced.set(key, { uid, key, originalStart: original, start: s.at, end: e.at, allDay: s.date !== null, summary: summaryOf(o), status: statusOf(o), overridden: true });
  }
  const out: IcsInstance[] = [];
  if (master) {
    checkDuration(master);
    const ds = master.getFirstPropertyValue('dtstart');
    if (!(ds instanceof ICAL.Time)) throw new Error('VEVENT has no valid DTSTART');
    const ev = new ICAL.Event(master);
    const { s, e } = spanOf(ev, ev.startDate, ev.endDate, zone);
    const lengthMs = e.at.getTime() - s.at.getTime();
    const plan = planFor(master, ds, zone);
    // All-day events and a DURATION of whole days/weeks are nominal: N calendar days, local.
    const dur = master.getFirstPropertyValue('duration');
    const nominalDays = ds.isDate
      ? Math.round(lengthMs / 86_400_000)
      : dur instanceof ICAL.Duration && !dur.hours && !dur.minutes && !dur.seconds && plan.nominalZone
        ? (dur.isNegative ? -1 : 1) * (dur.weeks * 7 + dur.days)
        : null;
    const slackMs = Math.max(lengthMs, (nominalDays ?? 0) * 25 * 3_600_000);
    const spec: RuleSpec = { ...plan.spec, rdates: datesOf(master, 'rdate', plan), exdates: datesOf(master, 'exdate', plan) };
    const r = expandRuleBounded(spec, new Date(opts.from.getTime() - slackMs), opts.to, budget);
    if (!r.ok) return { instances: [], reason: r.reason };
    const summary = summaryOf(master);
    const status = statusOf(master);
    for (const occ of r.occurrences) {
      const start = plan.instantOf(occ);
      const key = `${uid}#${start.toISOString()}`;
      if (replaced.has(key)) continue;
      const end = nominalDays !== null && plan.nominalZone ? zonedTimeToUtc(addDays(occ.wall, nominalDays), plan.nominalZone) : new Date(start.getTime() + lengthMs);
      if (overlaps(start, end)) out.push({ uid, key, originalStart: start, start, end, allDay: ds.isDate, summary, status, overridden: false });
    }
  }
  for (const inst of replaced.values()) if (overlaps(inst.start, inst.end)) out.push(inst);
  return { instances: out };
}
