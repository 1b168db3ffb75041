import { describe, it, expect } from 'vitest';
import { editDistance, closestMatch, didYouMean } from './did-you-mean.js';

describe('editDistance', () => {
  it.each([
    ['sms.send', 'sms.send', 0],
    ['sms.sned', 'sms.send', 1], // adjacent swap
    ['quiet_hour', 'quiet_hours', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['ca', 'abc', 3], // optimal string alignment, not unrestricted Damerau
  ])('%s → %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closestMatch', () => {
  const keys = ['version', 'default', 'actions', 'first_contact', 'quiet_hours', 'over_limit'];
  it('suggests the nearest name for a typo', () => {
    expect(closestMatch('quiet_hour', keys)).toBe('quiet_hours');
    expect(closestMatch('acitons', keys)).toBe('actions');
    expect(closestMatch('Default', keys)).toBe('default');
  });
  it('suggests nothing for a name that is not a typo of any', () => {
    expect(closestMatch('currency', keys)).toBeUndefined();
    expect(closestMatch('x', keys)).toBeUndefined();
  });
  it('formats the hint', () => {
    expect(didYouMean('sms.sned', ['email.send', 'sms.send'])).toBe('; did you mean "sms.send"?');
    expect(didYouMean('zzz', ['sms.send'])).toBe('');
  });
});
