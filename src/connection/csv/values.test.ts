import { describe, it, expect } from 'vitest';
import { normalizePhone, parseDate, parseEmail, parseMoneyCents } from './values.js';

describe('csv values', () => {
  it('normalises North American and international phones to E.164', () => {
    expect(normalizePhone('(416) 555-0101')).toBe('+14165550101');
    expect(normalizePhone('1-416-555-0101')).toBe('+14165550101');
    expect(normalizePhone('416.555.0102 x12')).toBe('+14165550102');
    expect(normalizePhone('+1 (647) 555-0104')).toBe('+16475550104');
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('0044 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('')).toBeNull();
    expect(normalizePhone('12345')).toMatchObject({ problem: expect.stringMatching(/not a phone number of CA/) });
    expect(normalizePhone('011 555 0101 22')).toMatchObject({ problem: expect.any(String) });
    expect(normalizePhone('call me')).toMatchObject({ problem: expect.any(String) });
  });
  it('parses emails, money and dates', () => {
    expect(parseEmail(' Ann@Example.COM ')).toBe('ann@example.com');
    expect(parseEmail('nope')).toMatchObject({ problem: expect.any(String) });
    expect(parseMoneyCents('$1,250.00')).toBe(125_000);
    expect(parseMoneyCents('(20.00)')).toBe(-2000);
    expect(parseMoneyCents('4.5')).toBe(450);
    expect(parseMoneyCents('1.234')).toMatchObject({ problem: expect.any(String) });
    expect(parseDate('01/15/2025')?.toString()).toBe(new Date('2025-01-15T00:00:00Z').toString());
    expect(parseDate('15/01/2025', 'dmy')).toEqual(new Date('2025-01-15T00:00:00Z'));
    expect(parseDate('02/03/2025', 'dmy')).toEqual(new Date('2025-03-02T00:00:00Z'));
    expect(parseDate('3 Feb 2025')).toEqual(new Date('2025-02-03T00:00:00Z'));
    expect(parseDate('Feb 3, 2025')).toEqual(new Date('2025-02-03T00:00:00Z'));
    expect(parseDate('2025-02-30')).toMatchObject({ problem: expect.stringMatching(/real date/) });
    expect(parseDate('13/45/2025')).toMatchObject({ problem: expect.any(String) });
  });
});
