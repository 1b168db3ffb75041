import { describe, it, expect } from 'vitest';
import { localDayStart, localParts, quietHoursRelease, zonedTimeToUtc } from './quiet-hours.js';

/*
 * Expected values are worked out by hand from the published rules, not from the code:
 * - America/Toronto is EST (UTC-5) in winter, EDT (UTC-4) in summer.
 * - 2026-01-01 is a Thursday, so 2026-03-01 (59 days later, 59 % 7 = 3) is a Sunday; the second
 *   Sunday of March is 2026-03-08. At 02:00 EST (07:00Z) clocks jump to 03:00 EDT, so local
 *   02:00–02:59 does not exist that day.
 * - 2026-11-01 is 304 days after 2026-01-01 (304 % 7 = 3): a Sunday, the first of November. At
 *   02:00 EDT (06:00Z) clocks fall back to 01:00 EST, so local 01:00–01:59 happens twice:
 *   first as EDT (05:00Z–05:59Z), then as EST (06:00Z–06:59Z).
 */
const TO = 'America/Toronto';
const at = (iso: string): Date => new Date(iso);
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

describe('localParts', () => {
  it('reads wall-clock fields either side of the spring-forward jump', () => {
    // 06:59:59Z is 01:59:59 EST; one second later (07:00:00Z) is 03:00:00 EDT. Both on Sunday (0).
    expect(localParts(at('2026-03-08T06:59:59Z'), TO)).toEqual({
      year: 2026, month: 3, day: 8, hour: 1, minute: 59, second: 59, weekday: 0,
    });
    expect(localParts(at('2026-03-08T07:00:00Z'), TO)).toEqual({
      year: 2026, month: 3, day: 8, hour: 3, minute: 0, second: 0, weekday: 0,
    });
  });

  it('gives hour 0 at local midnight and the local (not UTC) date', () => {
    // 2026-03-07T05:00Z is 00:00 EST on Saturday 2026-03-07 (weekday 6); 04:59Z is still Friday the 6th.
    expect(localParts(at('2026-03-07T05:00:00Z'), TO)).toMatchObject({ day: 7, hour: 0, minute: 0, weekday: 6 });
    expect(localParts(at('2026-03-07T04:59:00Z'), TO)).toMatchObject({ day: 6, hour: 23, minute: 59, weekday: 5 });
  });

  it('rejects an unknown time zone', () => {
    expect(() => localParts(at('2026-01-01T00:00:00Z'), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('zonedTimeToUtc', () => {
  it('resolves an ordinary summer time', () => {
    // 2026-07-01 12:00 EDT (UTC-4) = 16:00Z.
    expect(iso(zonedTimeToUtc({ year: 2026, month: 7, day: 1, hour: 12, minute: 0 }, TO))).toBe('2026-07-01T16:00:00.000Z');
  });

  it('resolves a zone with a half-hour offset and no DST', () => {
    // Asia/Kolkata is UTC+5:30: local midnight on 2026-01-01 is 18:30Z the previous day.
    expect(iso(zonedTimeToUtc({ year: 2026, month: 1, day: 1, hour: 0, minute: 0 }, 'Asia/Kolkata'))).toBe(
      '2025-12-31T18:30:00.000Z',
    );
  });

  it('maps a time in the spring-forward gap to the first instant after the gap', () => {
    // 02:30 does not exist on 2026-03-08; the gap ends at 03:00 EDT = 07:00Z.
    expect(iso(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, TO))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 0 }, TO))).toBe('2026-03-08T07:00:00.000Z');
  });

  it('resolves the times either side of the gap normally', () => {
    // 01:59 EST = 06:59Z; 03:00 EDT = 07:00Z.
    expect(iso(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 1, minute: 59 }, TO))).toBe('2026-03-08T06:59:00.000Z');
    expect(iso(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 3, minute: 0 }, TO))).toBe('2026-03-08T07:00:00.000Z');
  });

  it('maps an ambiguous fall-back time to the earlier instant', () => {
    // 01:30 on 2026-11-01 happens at 05:30Z (EDT) and again at 06:30Z (EST); the earlier wins.
    expect(iso(zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, TO))).toBe('2026-11-01T05:30:00.000Z');
    // 02:00 on that day exists only once, as EST: 07:00Z.
    expect(iso(zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 2, minute: 0 }, TO))).toBe('2026-11-01T07:00:00.000Z');
  });

  it('handles southern-hemisphere fall-back (Australia/Sydney, first Sunday of April)', () => {
    // 2026-04-05 is a Sunday (03-29 + 7). At 03:00 AEDT (UTC+11) clocks fall back to 02:00 AEST (UTC+10).
    // 02:30 happens twice; the earlier is AEDT: 02:30 - 11h = 2026-04-04T15:30Z.
    expect(iso(zonedTimeToUtc({ year: 2026, month: 4, day: 5, hour: 2, minute: 30 }, 'Australia/Sydney'))).toBe(
      '2026-04-04T15:30:00.000Z',
    );
  });
});

describe('quietHoursRelease, 21:00–08:00 in America/Toronto across DST', () => {
  const release = (now: string): string | null => iso(quietHoursRelease(at(now), TO, '21:00', '08:00'));

  it('holds a message sent the evening before spring-forward until 08:00 EDT', () => {
    // 22:30 EST on 2026-03-07 = 03:30Z on 03-08. Quiet hours end at 08:00 on 03-08, which is EDT
    // (UTC-4) by then: 12:00Z. A naive "+9h30m" would give 08:30 EST/09:30 EDT instead.
    expect(release('2026-03-08T03:30:00Z')).toBe('2026-03-08T12:00:00.000Z');
  });

  it('holds a message sent the evening before fall-back until 08:00 EST', () => {
    // 23:00 EDT on 2026-10-31 = 03:00Z on 11-01. 08:00 on 11-01 is EST (UTC-5): 13:00Z.
    expect(release('2026-11-01T03:00:00Z')).toBe('2026-11-01T13:00:00.000Z');
  });

  it('holds 07:59 for one minute and does not hold 08:00 on the spring-forward day', () => {
    // On 03-08 the morning is EDT: 07:59 = 11:59Z, 08:00 = 12:00Z.
    expect(release('2026-03-08T11:59:00Z')).toBe('2026-03-08T12:00:00.000Z');
    expect(release('2026-03-08T12:00:00Z')).toBeNull();
  });

  it('holds 07:59 for one minute and does not hold 08:00 on the fall-back day', () => {
    // On 11-01 the morning is EST: 07:59 = 12:59Z, 08:00 = 13:00Z.
    expect(release('2026-11-01T12:59:00Z')).toBe('2026-11-01T13:00:00.000Z');
    expect(release('2026-11-01T13:00:00Z')).toBeNull();
  });

  it('starts holding at exactly 21:00, not at 20:59', () => {
    // 2026-06-15 is EDT: 20:59 = 00:59Z on 06-16, 21:00 = 01:00Z; release 08:00 EDT on 06-16 = 12:00Z.
    expect(release('2026-06-16T00:59:00Z')).toBeNull();
    expect(release('2026-06-16T01:00:00Z')).toBe('2026-06-16T12:00:00.000Z');
  });

  it('holds in the small hours through the gap itself', () => {
    // 01:30 EST on 03-08 (06:30Z) is after midnight, before 08:00: released the same morning, 12:00Z.
    expect(release('2026-03-08T06:30:00Z')).toBe('2026-03-08T12:00:00.000Z');
  });

  it('does not hold in the afternoon', () => {
    // 15:00 EST = 20:00Z.
    expect(release('2026-03-07T20:00:00Z')).toBeNull();
  });
});

describe('quietHoursRelease, other windows', () => {
  it('handles a window that does not wrap midnight (12:00–13:00)', () => {
    // 2026-06-15 is EDT (UTC-4). 12:30 = 16:30Z → released at 13:00 = 17:00Z.
    const r = (now: string): string | null => iso(quietHoursRelease(at(now), TO, '12:00', '13:00'));
    expect(r('2026-06-15T16:30:00Z')).toBe('2026-06-15T17:00:00.000Z');
    expect(r('2026-06-15T16:00:00Z')).toBe('2026-06-15T17:00:00.000Z'); // 12:00 exactly: inside
    expect(r('2026-06-15T15:59:00Z')).toBeNull(); // 11:59
    expect(r('2026-06-15T17:00:00Z')).toBeNull(); // 13:00: window over
    expect(r('2026-06-15T23:00:00Z')).toBeNull(); // 19:00
  });

  it('handles a start time inside the spring-forward gap (02:30–06:00)', () => {
    // On 03-08 the local clock never shows 02:30: it goes 01:59:59 EST → 03:00:00 EDT.
    // 01:59 EST (06:59Z) is before the window; 03:00 EDT (07:00Z) is after 02:30 on the clock, so
    // held until 06:00 EDT = 10:00Z.
    const r = (now: string): string | null => iso(quietHoursRelease(at(now), TO, '02:30', '06:00'));
    expect(r('2026-03-08T06:59:00Z')).toBeNull();
    expect(r('2026-03-08T07:00:00Z')).toBe('2026-03-08T10:00:00.000Z');
    // The day before it works normally: 02:30 EST on 03-07 = 07:30Z, release 06:00 EST = 11:00Z.
    expect(r('2026-03-07T07:30:00Z')).toBe('2026-03-07T11:00:00.000Z');
  });

  it('releases at the end of the gap when the end time does not exist (22:00–02:30)', () => {
    // 23:00 EST on 03-07 (04:00Z on 03-08). 02:30 on 03-08 does not exist; the first instant after the
    // gap is 03:00 EDT = 07:00Z.
    expect(iso(quietHoursRelease(at('2026-03-08T04:00:00Z'), TO, '22:00', '02:30'))).toBe('2026-03-08T07:00:00.000Z');
  });

  it('releases at the next reading of an ambiguous end time (22:00–01:30 on fall-back night)', () => {
    const r = (now: string): string | null => iso(quietHoursRelease(at(now), TO, '22:00', '01:30'));
    // 01:15 EDT (05:15Z): the clock next reads 01:30 at 05:30Z (EDT).
    expect(r('2026-11-01T05:15:00Z')).toBe('2026-11-01T05:30:00.000Z');
    // 01:45 EDT (05:45Z): outside the window.
    expect(r('2026-11-01T05:45:00Z')).toBeNull();
    // 01:15 EST (06:15Z), the repeated hour: the clock next reads 01:30 at 06:30Z (EST), not 05:30Z.
    expect(r('2026-11-01T06:15:00Z')).toBe('2026-11-01T06:30:00.000Z');
  });

  it('treats start = end as no window and rejects malformed times', () => {
    expect(quietHoursRelease(at('2026-06-15T16:30:00Z'), TO, '08:00', '08:00')).toBeNull();
    expect(() => quietHoursRelease(at('2026-06-15T16:30:00Z'), TO, '25:00', '08:00')).toThrow(RangeError);
    expect(() => quietHoursRelease(at('2026-06-15T16:30:00Z'), TO, '8:00', '21:00')).toThrow(RangeError);
  });
});

describe('localDayStart', () => {
  it('finds local midnight on DST days in Toronto', () => {
    // 11:00 EDT on 03-08 (15:00Z): the day began at 00:00 EST = 05:00Z (before the jump).
    expect(iso(localDayStart(at('2026-03-08T15:00:00Z'), TO))).toBe('2026-03-08T05:00:00.000Z');
    // 10:00 EST on 11-01 (15:00Z): the day began at 00:00 EDT = 04:00Z (before the fall-back).
    expect(iso(localDayStart(at('2026-11-01T15:00:00Z'), TO))).toBe('2026-11-01T04:00:00.000Z');
  });

  it('uses the local date, not the UTC date', () => {
    // 03:30Z on 03-08 is 22:30 EST on 03-07: that day began at 00:00 EST 03-07 = 05:00Z on 03-07.
    expect(iso(localDayStart(at('2026-03-08T03:30:00Z'), TO))).toBe('2026-03-07T05:00:00.000Z');
  });

  it('uses the first instant of the day when midnight is skipped (America/Santiago)', () => {
    // Chile moves from UTC-4 to UTC-3 at 04:00Z on the first Sunday on or after 2 September; in 2026
    // that is 09-06 (09-01 is a Tuesday). Local 00:00 jumps to 01:00, so the day begins at 04:00Z.
    expect(iso(localDayStart(at('2026-09-06T12:00:00Z'), 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
  });
});
