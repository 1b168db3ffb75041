import { describe, it, expect } from 'vitest';
import { localTimeWords } from './time-words.js';

describe('localTimeWords', () => {
  const tz = 'America/Toronto';
  const now = new Date('2026-11-27T04:10:00Z'); // 23:10 on Thu 26 Nov in Toronto

  it('shows the wall-clock time in the business time zone, not UTC', () => {
    expect(localTimeWords(new Date('2026-11-27T04:30:00Z'), tz, now)).toBe('23:30');
    expect(localTimeWords(new Date('2026-11-27T13:00:00Z'), tz, now)).toBe('08:00 tomorrow');
  });

  it('names the day further out, and the year when it differs', () => {
    expect(localTimeWords(new Date('2026-11-29T13:00:00Z'), tz, now)).toBe('08:00 on Sun 29 Nov');
    expect(localTimeWords(new Date('2027-01-04T13:00:00Z'), tz, now)).toBe('08:00 on Mon 4 Jan 2027');
  });

  it('follows daylight saving time', () => {
    const summer = new Date('2026-07-01T12:00:00Z'); // 08:00 EDT
    expect(localTimeWords(summer, tz, summer)).toBe('08:00');
  });
});
