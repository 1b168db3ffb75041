import { describe, it, expect } from 'vitest';
import { businessMsBetween, type WeekHours } from './business-time.js';

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
