import ICAL from 'ical.js';
import { zonedTimeToUtc } from '../../core/time-zone.js';

/**
 * Turning ical.js times into instants. A DATE-TIME is one of: UTC (`...Z`), local with a TZID
 * whose VTIMEZONE is in the file (honoured: ical.js applies its rules), local with a TZID that is
 * an IANA name but has no VTIMEZONE (resolved with `Intl`), or floating / unknown TZID (read in the
 * caller's default zone). A DATE (all-day) starts at local midnight in the default zone.
 */

export type IcalTime = InstanceType<typeof ICAL.Time>;
export type IcalComponent = InstanceType<typeof ICAL.Component>;

const ianaCache = new Map<string, boolean>();

/** True when `Intl` knows the zone name (e.g. `America/Toronto`). */
export function isIanaZone(name: string): boolean {
  let ok = ianaCache.get(name);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      ok = true;
    } catch {
      ok = false;
    }
    ianaCache.set(name, ok);
  }
  return ok;
}

/**
 * The IANA zone a TZID names, or null. Accepts globally unique TZIDs by their IANA tail, e.g.
 * `/mozilla.org/20070129_1/America/New_York` or `/Europe/Stockholm`.
 */
export function ianaFromTzid(tzid: string | null): string | null {
  if (!tzid) return null;
  if (isIanaZone(tzid)) return tzid;
  const parts = tzid.split('/').filter(Boolean);
  for (let n = Math.min(3, parts.length); n >= 1; n--) {
    const tail = parts.slice(-n).join('/');
    if (tail.includes('/') || n === parts.length) if (isIanaZone(tail)) return tail;
  }
  return null;
}

/** An instant and the IANA zone it was read in (null for UTC or a non-IANA VTIMEZONE). */
export interface ResolvedTime {
  at: Date;
  /** IANA zone that gave the wall-clock meaning, when known. */
  zone: string | null;
  /** `YYYY-MM-DD` for an all-day (DATE) value, else null. */
  date: string | null;
  /** Set when the TZID was unknown and the default zone was used instead. */
  warning?: string;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/**
 * Resolves an ical.js time to an instant.
 * @param t the value (DATE or DATE-TIME).
 * @param tzidParam the property's TZID parameter, if any.
 * @param defaultZone IANA zone for floating times and all-day dates.
 */
export function resolveTime(t: IcalTime, tzidParam: string | null, defaultZone: string): ResolvedTime {
  const fields = { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second };
  if (t.isDate) {
    const at = zonedTimeToUtc({ ...fields, hour: 0, minute: 0, second: 0 }, defaultZone);
    return { at, zone: defaultZone, date: `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}` };
  }
  const zone = t.zone;
  if (zone === ICAL.Timezone.utcTimezone || zone?.tzid === 'UTC' || zone?.tzid === 'Z') {
    return { at: new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second)), zone: null, date: null };
  }
  if (zone && zone !== ICAL.Timezone.localTimezone && zone.tzid && zone.tzid !== 'floating') {
    // A VTIMEZONE from the file: ical.js applies its STANDARD/DAYLIGHT rules.
    const iana = ianaFromTzid(tzidParam);
    return { at: new Date(t.toUnixTime() * 1000), zone: iana, date: null };
  }
  const iana = ianaFromTzid(tzidParam);
  if (iana) return { at: zonedTimeToUtc(fields, iana), zone: iana, date: null };
  const warning = tzidParam ? `unknown TZID ${JSON.stringify(tzidParam)} without VTIMEZONE; read in ${defaultZone}` : undefined;
  return { at: zonedTimeToUtc(fields, defaultZone), zone: defaultZone, date: null, ...(warning ? { warning } : {}) };
}

/** The TZID parameter of a component's property, or null. */
export function tzidOf(comp: IcalComponent, prop: string): string | null {
  const p = comp.getFirstProperty(prop);
  const v = p?.getParameter('tzid');
  if (Array.isArray(v)) return v[0] ?? null;
  return typeof v === 'string' && v ? v : null;
}

/**
 * Runs `fn` with the file's VTIMEZONEs registered in ical.js's global TimezoneService, restoring
 * the service afterwards. `fn` must be synchronous (no other code may see the temporary zones).
 * A VTIMEZONE that cannot be read is skipped: its events fall back to `Intl` or the default zone.
 */
export function withFileZones<T>(roots: IcalComponent[], fn: () => T): T {
  const saved: Array<[string, InstanceType<typeof ICAL.Timezone> | null]> = [];
  try {
    for (const root of roots) {
      for (const vtz of root.getAllSubcomponents('vtimezone')) {
        try {
          const tzid = String(vtz.getFirstPropertyValue('tzid') ?? '');
          if (!tzid || saved.some(([id]) => id === tzid)) continue;
          const tz = new ICAL.Timezone(vtz);
          saved.push([tzid, ICAL.TimezoneService.has(tzid) ? ICAL.TimezoneService.get(tzid) : null]);
          ICAL.TimezoneService.register(tz, tzid);
        } catch {
          /* unreadable VTIMEZONE: skipped, see above */
        }
      }
    }
    return fn();
  } finally {
    for (const [tzid, prev] of saved) {
      if (prev) ICAL.TimezoneService.register(prev, tzid);
      else ICAL.TimezoneService.remove(tzid);
    }
  }
}
