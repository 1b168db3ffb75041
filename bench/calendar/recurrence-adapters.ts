import ICAL from 'ical.js';
import { RRuleTemporal } from 'rrule-temporal';
import rrulePkg from 'rrule';
import { resolveTime, tzidOf } from '../../src/connection/calendar/ics-time.js';

/**
 * One adapter per candidate recurrence library for the recurrence bench: each turns a case's
 * DTSTART/RRULE/RDATE/EXDATE lines into the first `limit` occurrences, as wall-clock strings
 * (`YYYY-MM-DDTHH:MM:SS`) in the case's zone. Floating DTSTARTs are read as wall-clock times.
 */

/** A recurrence case from `rfc5545-examples.json` or `recurrence-cases.json`. */
export interface RecurrenceCase {
  id: string;
  title: string;
  tz: string;
  ics: string[];
  /** True when `expected` is the whole recurrence set; false when it is its first occurrences. */
  complete: boolean;
  expected: string[];
  allDay?: boolean;
  note?: string;
}

export type Adapter = (c: RecurrenceCase, limit: number) => string[];

const wallFormat = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock time of an instant in `tz`, `YYYY-MM-DDTHH:MM:SS`. */
export function wall(at: Date, tz: string): string {
  let f = wallFormat.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    wallFormat.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** True when DTSTART has neither TZID nor a trailing Z (floating time or a DATE). */
export function isFloating(c: RecurrenceCase): boolean {
  const line = c.ics.find((l) => l.startsWith('DTSTART')) ?? '';
  return !/TZID=/.test(line) && !/Z$/.test(line);
}

const utcWall = (d: Date) => d.toISOString().slice(0, 19);

const icaljs: Adapter = (c, limit) => {
  const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//aios//bench//EN', 'BEGIN:VEVENT', 'UID:bench', 'DTSTAMP:20260101T000000Z', ...c.ics, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  const comp = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
  const ev = new ICAL.Event(comp);
  const tzid = tzidOf(comp, 'dtstart');
  const out: string[] = [];
  const it = ev.iterator();
  for (let next = it.next(); next && out.length < limit; next = it.next()) out.push(wall(resolveTime(next, tzid, c.tz).at, c.tz));
  return out;
};

const rruleTemporal: Adapter = (c, limit) => {
  const rule = new RRuleTemporal({ rruleString: c.ics.join('\n') });
  const floating = isFloating(c);
  return rule.all((_, i) => i < limit).map((z) => (floating ? z.toPlainDateTime().toString() : wall(new Date(z.epochMilliseconds), c.tz)).slice(0, 19));
};

const rruleJs: Adapter = (c, limit) => {
  const set = (rrulePkg as unknown as { rrulestr: (s: string, o: object) => { all(it: (d: Date, i: number) => boolean): Date[] } }).rrulestr(c.ics.join('\n'), { forceset: true });
  const floating = isFloating(c);
  return set.all((_d, i) => i < limit).map((d) => (floating ? utcWall(d) : wall(d, c.tz)));
};

/**
 * rrule-rust (native, one binary per platform) is not a dependency: its per-platform optional
 * packages break `npm ci` of our lock file. Measured once by hand (`npm i --no-save rrule-rust@3.1.1`);
 * the bench includes it whenever it is installed.
 */
type RRuleSetLike = { fromString(s: string): { all(limit: number): Array<{ toString(): string }> } };
const rrustModule = 'rrule-rust';
const RRuleSet: RRuleSetLike | null = await import(rrustModule).then((m: { RRuleSet: RRuleSetLike }) => m.RRuleSet).catch(() => null);

const rruleRust: Adapter = (c, limit) => {
  const set = RRuleSet!.fromString(c.ics.join('\n'));
  return set.all(limit).map((d) => {
    const s = d.toString();
    const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.length > 8 ? `${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}` : '00:00:00'}`;
    return s.endsWith('Z') ? wall(new Date(`${iso}Z`), c.tz) : iso;
  });
};

/** The candidates, by the name shown in the table. */
export const ADAPTERS: Record<string, Adapter> = {
  'ical.js 2.2.1': icaljs,
  'rrule-temporal 2.2.8': rruleTemporal,
  'rrule 2.8.1': rruleJs,
  ...(RRuleSet ? { 'rrule-rust 3.1.1': rruleRust } : {}),
};
