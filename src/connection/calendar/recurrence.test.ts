import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { zonedTimeToUtc } from '../../core/time-zone.js';
import { expandIcs } from './expand-ics.js';
import { warmRecurrenceWorkers } from './bounded-expansion.js';

/**
 * The product's expansion (`expandIcs`) against every RFC 5545 §3.8.5.3 example and AIOS's own
 * hard cases (bench/calendar/*.json), and under hostile rules that must stay within budget.
 */

interface Case {
  id: string;
  tz: string;
  ics: string[];
  complete: boolean;
  expected: string[];
  allDay?: boolean;
}

const load = (f: string) => (JSON.parse(readFileSync(new URL(`../../../bench/calendar/${f}`, import.meta.url), 'utf8')) as { cases: Case[] }).cases;
const cal = (...parts: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//aios//test//EN', ...parts, 'END:VCALENDAR', ''].join('\r\n');
const vevent = (uid: string, lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];

function wall(at: Date, tz: string): string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

function instant(local: string, tz: string): Date {
  const [d, t] = local.split('T') as [string, string];
  const [year, month, day] = d.split('-').map(Number) as [number, number, number];
  const [hour, minute, second] = t.split(':').map(Number) as [number, number, number];
  return zonedTimeToUtc({ year, month, day, hour, minute, second }, tz);
}

beforeAll(() => warmRecurrenceWorkers(), 30_000);

describe.each([
  ['RFC 5545 §3.8.5.3 examples', load('rfc5545-examples.json')],
  ['own hard cases', load('recurrence-cases.json')],
])('%s expand exactly', (_name, cases) => {
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    // Window: from a day before the first occurrence to just after the last listed one (a finite
    // rule gets two more years, so an occurrence too many would show).
    const first = instant(c.expected[0]!, c.tz);
    const last = instant(c.expected.at(-1)!, c.tz);
    const from = new Date(first.getTime() - 86_400_000);
    const to = new Date(last.getTime() + (c.complete ? 2 * 366 * 86_400_000 : 1000));
    const r = expandIcs(cal(...vevent(c.id, c.ics)), { defaultTimeZone: c.tz, from, to, maxInstances: 100_000, budget: { maxMs: 2000 } });
    expect(r.quarantined).toEqual([]);
    const got = r.instances.map((i) => wall(i.start, c.tz));
    const norm = (xs: string[]) => (c.allDay ? xs.map((x) => x.slice(0, 10)) : xs);
    expect(norm(got)).toEqual(norm(c.expected));
  });
});

describe('expansion budget', () => {
  const from = new Date('2026-03-01T00:00:00Z');
  const to = new Date('2026-05-01T00:00:00Z');
  const normal = vevent('standup', ['DTSTART;TZID=America/Toronto:20260302T090000', 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3']);

  it('returns in time for DAILY;BYMONTHDAY=-1, which hangs ical.js 2.2.1 inside one next() call', () => {
    const r = expandIcs(cal(...vevent('eom', ['DTSTART;TZID=America/Toronto:20260131T090000', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;BYMONTHDAY=-1'])), { defaultTimeZone: 'America/Toronto', from, to });
    expect(r.quarantined).toEqual([]);
    expect(r.instances.map((i) => wall(i.start, 'America/Toronto'))).toEqual(['2026-03-31T09:00:00', '2026-04-30T09:00:00']);
  }, 5000);

  // [name, lines, always over budget?] A huge BYSETPOS set may also finish in time: then it must
  // only be on time, and its (empty) window must not hide the rest of the calendar.
  const hostile: Array<[string, string[], boolean?]> = [
    ['secondly for a century', ['DTSTART:19260101T000000Z', 'RRULE:FREQ=SECONDLY;UNTIL=21260101T000000Z'], true],
    ['COUNT=1e9 minutely', ['DTSTART:20260101T000000Z', 'RRULE:FREQ=MINUTELY;COUNT=1000000000'], true],
    ['huge BYSETPOS set', ['DTSTART:20260101T000000Z', `RRULE:FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=${Array.from({ length: 28 }, (_, i) => i + 1).join(',')};BYHOUR=${Array.from({ length: 24 }, (_, i) => i).join(',')};BYMINUTE=0,10,20,30,40,50;BYSETPOS=-1,1,2,3,4,5,6,7,8,9,10`], false],
    // Never satisfiable: the library scans a 400-year cycle inside one call (~1 s in-thread).
    ['impossible BYWEEKNO/BYYEARDAY mix', ['DTSTART:20260101T000000Z', 'RRULE:FREQ=YEARLY;BYWEEKNO=53;BYMONTH=1;BYYEARDAY=200'], true],
    ['impossible date with every second of the day', ['DTSTART:20260101T000000Z', `RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=${Array.from({ length: 24 }, (_, i) => i).join(',')};BYMINUTE=${Array.from({ length: 60 }, (_, i) => i).join(',')};BYSECOND=${Array.from({ length: 60 }, (_, i) => i).join(',')}`], true],
  ];
  it.each(hostile)('returns within budget on %s; the rest of the calendar still counts', async (_name, lines, over) => {
    await warmRecurrenceWorkers(); // a terminated worker's replacement has started (not charged to the rule)
    const opts = { defaultTimeZone: 'America/Toronto', from, to, budget: { maxMs: 50 } };
    const t0 = performance.now();
    const alone = expandIcs(cal(...vevent('hostile', lines)), opts);
    const ms = performance.now() - t0;
    // The budget plus the thread hand-off, with room for a heavily loaded shared machine; in the
    // calling thread the impossible rules take about a second, and ical.js never returns on some.
    expect(ms).toBeLessThan(50 + 400);
    if (over || alone.quarantined.length) expect(alone.quarantined).toEqual([{ ref: 'hostile', reason: expect.stringMatching(/over budget/) }]);
    const r = expandIcs(cal(...normal, ...vevent('hostile', lines)), opts);
    // A rule near the budget may finish in one run and not in the next: only the always-over ones
    // must be quarantined every time; a quarantine is always the hostile event's, with the reason.
    if (over) expect(r.quarantined).toEqual([{ ref: 'hostile', reason: expect.stringMatching(/over budget/) }]);
    for (const q of r.quarantined) expect(q).toEqual({ ref: 'hostile', reason: expect.stringMatching(/over budget/) });
    expect(r.instances.map((i) => [i.uid, wall(i.start, 'America/Toronto')])).toEqual([
      ['standup', '2026-03-02T09:00:00'],
      ['standup', '2026-03-09T09:00:00'],
      ['standup', '2026-03-16T09:00:00'],
    ]);
  }, 20_000);

  it('quarantines by count: more than maxOccurrences in the window', () => {
    const r = expandIcs(cal(...vevent('hourly', ['DTSTART:20260101T000000Z', 'RRULE:FREQ=HOURLY'])), { defaultTimeZone: 'UTC', from, to, budget: { maxOccurrences: 100, maxMs: 5000 } });
    expect(r.instances).toEqual([]);
    expect(r.quarantined[0]!.reason).toMatch(/more than 100 occurrences/);
  });
});
