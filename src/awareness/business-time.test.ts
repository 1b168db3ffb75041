import { describe, it, expect } from 'vitest';
import { businessMsBetween, tenantBusinessMs, type WeekHours } from './business-time.js';
import { holidayCalendar } from './holidays.js';
import { HolidaysSection } from '../records/tenant-sections.js';

const H = 3_600_000;
const WEEKDAYS: WeekHours = { mon: ['08:00', '17:00'], tue: ['08:00', '17:00'], wed: ['08:00', '17:00'], thu: ['08:00', '17:00'], fri: ['08:00', '17:00'], sat: 'closed', sun: 'closed' };
const TZ = 'America/Toronto';

describe('businessMsBetween', () => {
  it('counts only opening hours, in the business time zone', () => {
    // Thu 2026-12-03 15:00 Toronto (20:00Z) → Fri 10:00 Toronto (15:00Z): 2 h Thursday + 2 h Friday.
    expect(businessMsBetween(WEEKDAYS, TZ, new Date('2026-12-03T20:00:00Z'), new Date('2026-12-04T15:00:00Z'))).toBe(4 * H);
  });
  it('skips closed days: Friday 16:00 → Monday 11:00 is 4 hours', () => {
    expect(businessMsBetween(WEEKDAYS, TZ, new Date('2026-12-04T21:00:00Z'), new Date('2026-12-07T16:00:00Z'))).toBe(4 * H);
  });
  it('a message at night counts from the opening', () => {
    expect(businessMsBetween(WEEKDAYS, TZ, new Date('2026-12-03T03:00:00Z'), new Date('2026-12-03T14:30:00Z'))).toBe(1.5 * H);
  });
  it('without stated hours every hour counts', () => {
    expect(businessMsBetween(undefined, TZ, new Date('2026-12-05T00:00:00Z'), new Date('2026-12-05T05:00:00Z'))).toBe(5 * H);
  });
  it('is zero for an empty or reversed interval', () => {
    expect(businessMsBetween(WEEKDAYS, TZ, new Date('2026-12-03T20:00:00Z'), new Date('2026-12-03T19:00:00Z'))).toBe(0);
  });
});

describe('business time with holidays', () => {
  it('a holiday counts nothing: Thu 15:00 → Mon 10:00 over a closed Friday is 4 hours', () => {
    const closed = holidayCalendar(['2026-12-04']);
    // Thu 2 h (15–17) + Fri holiday 0 + Mon 2 h (08–10).
    expect(businessMsBetween(WEEKDAYS, TZ, new Date('2026-12-03T20:00:00Z'), new Date('2026-12-07T15:00:00Z'), closed)).toBe(4 * H);
    expect(businessMsBetween(WEEKDAYS, TZ, new Date('2026-12-03T20:00:00Z'), new Date('2026-12-07T15:00:00Z'))).toBe(13 * H);
  });
  it('public holidays of a country and region (date-holidays, offline): Christmas and Boxing Day in Ontario', () => {
    const on = holidayCalendar([{ public: 'CA-ON' }]);
    expect(on('2026-12-25')).toBe(true);
    expect(on('2026-12-26')).toBe(true);
    expect(on('2026-12-24')).toBe(false);
    expect(on('2026-07-01')).toBe(true); // Canada Day
    // Thu 24th 16:00 → Mon 28th 09:00: 1 h on the 24th, Fri 25th is a holiday, weekend closed, 1 h Monday.
    expect(businessMsBetween(WEEKDAYS, TZ, new Date('2026-12-24T21:00:00Z'), new Date('2026-12-28T14:00:00Z'), on)).toBe(2 * H);
  });
  it('a holiday is in the business zone: 2026-12-25 in Toronto starts at 05:00Z', () => {
    const closed = holidayCalendar(['2026-12-25']);
    // Without stated hours all time counts except the local holiday: 24th 12:00Z → 26th 12:00Z = 48 h − 24 h.
    expect(businessMsBetween(undefined, TZ, new Date('2026-12-24T12:00:00Z'), new Date('2026-12-26T12:00:00Z'), closed)).toBe(24 * H);
  });
  it('tenantBusinessMs reads hours, zone and holidays from the tenant', () => {
    const tenant = { timeZone: TZ, profile: { tone: 'friendly' as const, hours: WEEKDAYS as never }, holidays: ['2026-12-04'] };
    expect(tenantBusinessMs(tenant, new Date('2026-12-04T14:00:00Z'), new Date('2026-12-04T20:00:00Z'))).toBe(0);
  });
  it('tenant.yaml holidays: dates and known public calendars pass, others are refused with the reason', () => {
    expect(HolidaysSection.parse(['2026-12-24', { public: 'CA-ON' }, { public: 'US' }])).toHaveLength(3);
    expect(() => HolidaysSection.parse([{ public: 'XX' }])).toThrow(/date-holidays package knows/);
    expect(() => HolidaysSection.parse([{ public: 'CA-ZZ' }])).toThrow(/date-holidays package knows/);
    expect(() => HolidaysSection.parse(['2026-02-30'])).toThrow(/not a calendar date/);
  });
});
