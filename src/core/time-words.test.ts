import { describe, it, expect } from 'vitest';
import { localClockWords, localTimeWords } from './time-words.js';

describe('localTimeWords', () => {
  const tz = 'America/Toronto';
  const now = new Date('2026-11-27T04:10:00Z'); // 11:10 p.m. on Thu 26 Nov in Toronto

  it('shows the wall-clock time in the business time zone, not UTC', () => {
    expect(localTimeWords(new Date('2026-11-27T04:30:00Z'), tz, now)).toBe('11:30 p.m.');
    expect(localTimeWords(new Date('2026-11-27T13:00:00Z'), tz, now)).toBe('8:00 a.m. tomorrow');
  });

  it('names the day further out, and the year when it differs', () => {
    expect(localTimeWords(new Date('2026-11-29T13:00:00Z'), tz, now)).toBe('8:00 a.m. on Sun 29 Nov');
    expect(localTimeWords(new Date('2027-01-04T13:00:00Z'), tz, now)).toBe('8:00 a.m. on Mon 4 Jan 2027');
  });

  it('follows daylight saving time', () => {
    const summer = new Date('2026-07-01T12:00:00Z'); // 08:00 EDT
    expect(localTimeWords(summer, tz, summer)).toBe('8:00 a.m.');
  });

  it('writes the time as the business’s locale does (its hour cycle), in plain spaces', () => {
    const at = new Date('2026-11-27T19:05:00Z'); // 2:05 p.m. in Toronto
    expect(localTimeWords(at, tz, at, 'en-US')).toBe('2:05 PM');
    expect(localTimeWords(at, tz, at, 'en-GB')).toBe('14:05');
    expect(localTimeWords(at, tz, at, 'fr-CA')).toBe('14 h 05');
    for (const locale of ['en-CA', 'en-US', 'en-AU', 'fr-CA', 'ja-JP']) expect(localClockWords(at, tz, locale)).not.toMatch(/[\u00a0\u202f]/);
  });
});
