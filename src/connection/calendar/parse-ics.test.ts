import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIcs } from './parse-ics.js';
import { expandIcs } from './expand-ics.js';
import { sharedDataDir } from '../../../test/support/shared-data.js';

const NY_VTIMEZONE = `BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE`;

const cal = (...parts: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//aios//test//EN', ...parts, 'END:VCALENDAR', ''].join('\r\n');
const iso = (d: Date) => d.toISOString().replace('.000', '');
const TZ = { defaultTimeZone: 'America/Toronto' };
const WINDOW = { ...TZ, from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };

describe('recurrence across DST', () => {
  // Weekly Monday 09:00 America/New_York from 2026-03-02. US DST starts Sunday 2026-03-08.
  // Mar 2 09:00 EST (UTC-5) = 14:00Z; Mar 9 and Mar 16 09:00 EDT (UTC-4) = 13:00Z.
  const weekly = (tz: string, extra: string[] = []) =>
    cal(tz, 'BEGIN:VEVENT', 'UID:weekly-1', 'DTSTAMP:20260101T000000Z', 'DTSTART;TZID=America/New_York:20260302T090000', 'DTEND;TZID=America/New_York:20260302T100000', 'RRULE:FREQ=WEEKLY;COUNT=3', 'SUMMARY:Standup', ...extra, 'END:VEVENT');

  it('keeps 09:00 local with the VTIMEZONE from the file', () => {
    const r = expandIcs(weekly(NY_VTIMEZONE), WINDOW);
    expect(r.quarantined).toEqual([]);
    expect(r.instances.map((i) => iso(i.start))).toEqual(['2026-03-02T14:00:00Z', '2026-03-09T13:00:00Z', '2026-03-16T13:00:00Z']);
    expect(r.instances.map((i) => iso(i.end))).toEqual(['2026-03-02T15:00:00Z', '2026-03-09T14:00:00Z', '2026-03-16T14:00:00Z']);
  });

  it('gives the same answer from the IANA name when the VTIMEZONE is missing', () => {
    const r = expandIcs(weekly(''), WINDOW);
    expect(r.instances.map((i) => iso(i.start))).toEqual(['2026-03-02T14:00:00Z', '2026-03-09T13:00:00Z', '2026-03-16T13:00:00Z']);
  });

  it('honours a VTIMEZONE over the name: a custom fixed +05:30 zone', () => {
    // 09:00 at UTC+05:30 = 03:30Z, every day, no DST.
    const vtz = 'BEGIN:VTIMEZONE\r\nTZID:Custom Office\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nDTSTART:19700101T000000\r\nEND:STANDARD\r\nEND:VTIMEZONE';
    const r = expandIcs(cal(vtz, 'BEGIN:VEVENT', 'UID:c1', 'DTSTART;TZID=Custom Office:20260307T090000', 'DURATION:PT30M', 'RRULE:FREQ=DAILY;COUNT=2', 'END:VEVENT'), WINDOW);
    expect(r.instances.map((i) => iso(i.start))).toEqual(['2026-03-07T03:30:00Z', '2026-03-08T03:30:00Z']);
  });

  it('applies EXDATE, RDATE and a RECURRENCE-ID override', () => {
    // EXDATE removes Mar 9. RDATE adds Thu Mar 12 15:00 EDT = 19:00Z. The Mar 16 occurrence is
    // moved to 11:00 EDT = 15:00Z and renamed.
    const text = cal(
      NY_VTIMEZONE,
      'BEGIN:VEVENT', 'UID:weekly-1', 'DTSTART;TZID=America/New_York:20260302T090000', 'DTEND;TZID=America/New_York:20260302T100000',
      'RRULE:FREQ=WEEKLY;COUNT=3', 'EXDATE;TZID=America/New_York:20260309T090000', 'RDATE;TZID=America/New_York:20260312T150000', 'SUMMARY:Standup', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:weekly-1', 'RECURRENCE-ID;TZID=America/New_York:20260316T090000', 'DTSTART;TZID=America/New_York:20260316T110000',
      'DTEND;TZID=America/New_York:20260316T120000', 'SUMMARY:Standup (moved)', 'END:VEVENT',
    );
    const r = expandIcs(text, WINDOW);
    expect(r.instances.map((i) => [iso(i.start), i.summary, i.overridden])).toEqual([
      ['2026-03-02T14:00:00Z', 'Standup', false],
      ['2026-03-12T19:00:00Z', 'Standup', false],
      ['2026-03-16T15:00:00Z', 'Standup (moved)', true],
    ]);
    expect(r.instances[2]!.key).toBe('weekly-1#2026-03-16T13:00:00.000Z');
    const parsed = parseIcs(text, TZ);
    expect(parsed.events.map((e) => e.key)).toEqual(['weekly-1', 'weekly-1#2026-03-16T13:00:00.000Z']);
  });

  it('keeps 09:00 local across the November change', () => {
    // Mon Oct 26 2026 09:00 EDT = 13:00Z; Mon Nov 2 09:00 EST = 14:00Z (DST ended Sun Nov 1).
    const r = expandIcs(cal('BEGIN:VEVENT', 'UID:f1', 'DTSTART;TZID=America/New_York:20261026T090000', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=2', 'END:VEVENT'), WINDOW);
    expect(r.instances.map((i) => iso(i.start))).toEqual(['2026-10-26T13:00:00Z', '2026-11-02T14:00:00Z']);
  });

  it('caps an endless rule and says so', () => {
    const r = expandIcs(cal('BEGIN:VEVENT', 'UID:d1', 'DTSTART:20260101T120000Z', 'RRULE:FREQ=DAILY', 'END:VEVENT'), { ...WINDOW, maxInstances: 10 });
    expect(r.instances).toHaveLength(10);
    expect(r.truncated).toBe(true);
  });

  it('returns only occurrences overlapping the window', () => {
    // Daily 12:00Z from Jan 1; window Jan 10 00:00Z – Jan 12 00:00Z holds Jan 10 and Jan 11.
    const r = expandIcs(cal('BEGIN:VEVENT', 'UID:d1', 'DTSTART:20260101T120000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY', 'END:VEVENT'), { ...TZ, from: new Date('2026-01-10T00:00:00Z'), to: new Date('2026-01-12T00:00:00Z') });
    expect(r.instances.map((i) => iso(i.start))).toEqual(['2026-01-10T12:00:00Z', '2026-01-11T12:00:00Z']);
    expect(r.truncated).toBe(false);
  });
});

describe('single events', () => {
  it('reads floating times in the default zone', () => {
    // 2026-03-10 09:00 in Toronto is EDT (UTC-4) = 13:00Z.
    const r = parseIcs(cal('BEGIN:VEVENT', 'UID:fl', 'DTSTART:20260310T090000', 'DTEND:20260310T093000', 'END:VEVENT'), TZ);
    expect(iso(r.events[0]!.start)).toBe('2026-03-10T13:00:00Z');
    expect(iso(r.events[0]!.end)).toBe('2026-03-10T13:30:00Z');
  });

  it('makes an all-day event span the local day, 25 hours on the November change', () => {
    // Toronto 2026-11-01 00:00 EDT = 04:00Z; 2026-11-02 00:00 EST = 05:00Z.
    const r = parseIcs(cal('BEGIN:VEVENT', 'UID:ad', 'DTSTART;VALUE=DATE:20261101', 'SUMMARY:Holiday', 'END:VEVENT'), TZ);
    const e = r.events[0]!;
    expect([iso(e.start), iso(e.end), e.allDay]).toEqual(['2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', true]);
  });

  it('reads attendees, status and organizer', () => {
    const r = parseIcs(
      cal('BEGIN:VEVENT', 'UID:a', 'DTSTART:20260310T150000Z', 'STATUS:TENTATIVE', 'ORGANIZER:mailto:Owner@Biz.example', 'ATTENDEE;CN=Ann;PARTSTAT=ACCEPTED:mailto:ann@example.com', 'END:VEVENT'),
      TZ,
    );
    expect(r.events[0]).toMatchObject({ status: 'tentative', organizer: 'owner@biz.example', attendees: [{ email: 'ann@example.com', name: 'Ann', partstat: 'ACCEPTED' }] });
  });

  it('quarantines a bad VEVENT but keeps the good one, and a garbage file whole', () => {
    const r = parseIcs(cal('BEGIN:VEVENT', 'UID:bad', 'DTSTART:20260310T150000Z', 'DTEND:20260310T140000Z', 'END:VEVENT', 'BEGIN:VEVENT', 'UID:good', 'DTSTART:20260310T150000Z', 'END:VEVENT'), TZ);
    expect(r.events.map((e) => e.uid)).toEqual(['good']);
    expect(r.quarantined[0]).toMatchObject({ ref: 'bad' });
    expect(r.quarantined[0]!.reason).toMatch(/before DTSTART/);
    expect(parseIcs('hello world', TZ).quarantined[0]!.ref).toBe('file');
    expect(parseIcs('', TZ).quarantined[0]!.reason).toMatch(/empty/);
  });
});

describe('shared iCalendar corpus', () => {
  const dir = sharedDataDir();
  it.runIf(dir !== null)('imports or quarantines every file without crashing', () => {
    const folder = join(dir!, 'ical/collective-icalendar');
    const files = readdirSync(folder).filter((f) => /\.(ics|jcal)$/.test(f));
    let clean = 0;
    let withQuarantine = 0;
    let events = 0;
    let quarantinedItems = 0;
    for (const f of files) {
      const text = readFileSync(join(folder, f), 'utf8');
      const r = parseIcs(text, TZ);
      const x = expandIcs(text, { ...WINDOW, from: new Date('2000-01-01T00:00:00Z'), maxInstances: 200 });
      for (const q of [...r.quarantined, ...x.quarantined]) expect(q.reason.length).toBeGreaterThan(0);
      events += r.events.length;
      quarantinedItems += r.quarantined.length;
      if (r.quarantined.length) withQuarantine++;
      else clean++;
    }
    console.log(`[ical corpus] ${files.length} files: ${clean} imported cleanly, ${withQuarantine} with quarantined items; ${events} events imported, ${quarantinedItems} items quarantined`);
    expect(clean + withQuarantine).toBe(files.length);
    expect(events).toBeGreaterThan(50);
  });
});
